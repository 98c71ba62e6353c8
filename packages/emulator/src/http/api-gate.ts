import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from '../emulator-state.ts';
import { faultHeader } from '../faults/fault-header.ts';
import type { ActiveFault } from '../faults/fault-injector.ts';
import { annotateRequest } from '../request-log/request-annotations.ts';
import { ApiError } from './api-error.ts';

/** What the gate needs about an authenticated API request. */
export interface GateOptions {
  /** The incoming request (its socket is destroyed for `connection_reset`). */
  request: IncomingMessage;
  /** Its response, for the request log's note of an injected fault. */
  response?: ServerResponse;
  /** The request path. */
  path: string;
  /** The authenticated key. */
  apiKey: string;
  /** The response headers of this request; the rate-limit headers are added to it. */
  headers: Record<string, string>;
}

/** The error an injected status fault answers with, in the real API's wording. */
function faultError(fault: ActiveFault): ApiError {
  switch (fault.type) {
    case 'rate_limit':
      return new ApiError(
        'rate_limit_error',
        'This request would exceed your rate limit (injected by the emulator). Please try again later.',
        { headers: { 'retry-after': String(fault.retryAfterSeconds) } },
      );
    case 'overloaded':
      return new ApiError('overloaded_error', 'Overloaded');
    case 'invalid_request':
      return new ApiError(
        'invalid_request_error',
        'messages: the request was refused (injected by the emulator)',
      );
    case 'request_too_large':
      // The real 413 comes from the API's edge before the body is read.
      return new ApiError(
        'request_too_large',
        'Request exceeds the maximum allowed number of bytes (injected by the emulator).',
      );
    default:
      return new ApiError('api_error', 'Internal server error');
  }
}

/** The forced-fault header value of a request, if any. */
export function faultHeaderOf(request: IncomingMessage): string | undefined {
  const value = request.headers[faultHeader];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Everything between authentication and the route for `/v1` requests: counts the request against
 * the key's rate limits (adding the `anthropic-ratelimit-*` headers), then applies an injected
 * gate fault. Returns false when the connection was reset and nothing more must be written.
 */
export function passApiGate(state: EmulatorState, options: GateOptions): boolean {
  const { request, path, apiKey, headers } = options;
  try {
    state.rateLimiter.admitRequest(apiKey);
  } finally {
    Object.assign(headers, state.rateLimiter.headers(apiKey));
  }
  const fault = state.faults.pick({
    path,
    stage: 'gate',
    streaming: false,
    header: faultHeaderOf(request),
  });
  if (!fault) return true;
  if (options.response) annotateRequest(options.response, { fault: fault.type });
  if (fault.type === 'connection_reset') {
    request.socket.destroy();
    return false;
  }
  throw faultError(fault);
}
