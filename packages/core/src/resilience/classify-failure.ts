import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import type { ClaudeFailureKind } from '@keel/errors';
import { StreamEndedEarlyError } from './stream-ended-early-error.ts';

/** What went wrong on one attempt; the kinds, each explained, are listed in `@keel/errors`. */
export type FailureKind = ClaudeFailureKind;

/** A classified failure. */
export interface Failure {
  /** What kind of failure this is. */
  kind: FailureKind;
  /** HTTP status when the server answered with an error status. */
  status: number | undefined;
  /** The API's `error.type` when known (e.g. `overloaded_error`). */
  errorType: string | undefined;
  /** The server's request id when known. */
  requestId: string | undefined;
  /** Whether trying the same request again can succeed. */
  retryable: boolean;
  /** Whether the next model in the fallback chain may be tried (overload and 5xx only, never 4xx). */
  fallbackEligible: boolean;
  /** Whether it says something about the model's health (feeds the circuit breaker). */
  breakerFailure: boolean;
  /** The server's requested wait (retry-after-ms / retry-after), ms. */
  retryAfterMs: number | undefined;
  /** The original error. */
  error: unknown;
}

const streamErrorKinds: Record<string, FailureKind> = {
  overloaded_error: 'overloaded',
  api_error: 'server_error',
  timeout_error: 'server_error',
  rate_limit_error: 'rate_limited',
};

const connectionCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

function headerValue(headers: Headers | undefined, name: string): string | null {
  return headers && typeof headers.get === 'function' ? headers.get(name) : null;
}

/** Parses `retry-after-ms` (float ms) then `retry-after` (seconds or an HTTP date), as the SDK does. */
export function retryAfterFromHeaders(
  headers: Headers | undefined,
  now: number,
): number | undefined {
  const milliseconds = headerValue(headers, 'retry-after-ms');
  if (milliseconds !== null) {
    const value = Number.parseFloat(milliseconds);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const seconds = headerValue(headers, 'retry-after');
  if (seconds === null) return undefined;
  const value = Number.parseFloat(seconds);
  if (Number.isFinite(value) && value >= 0 && /^\s*[\d.]+\s*$/.test(seconds)) return value * 1000;
  const date = Date.parse(seconds);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isConnectionDrop(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && connectionCodes.has(candidate.code)) return true;
    if (current instanceof TypeError && candidate.message === 'terminated') return true;
    current = candidate.cause;
  }
  return false;
}

function build(
  kind: FailureKind,
  error: unknown,
  extra: Partial<Pick<Failure, 'status' | 'errorType' | 'requestId' | 'retryAfterMs'>> = {},
): Failure {
  const retryable = !['client_error', 'aborted', 'unknown'].includes(kind);
  return {
    kind,
    status: extra.status,
    errorType: extra.errorType,
    requestId: extra.requestId,
    retryAfterMs: extra.retryAfterMs,
    retryable,
    fallbackEligible: kind === 'overloaded' || kind === 'server_error',
    breakerFailure: ['overloaded', 'server_error', 'timeout', 'connection'].includes(kind),
    error,
  };
}

/** Classifies an error thrown by the SDK (or by the stream reader) on one attempt. */
export function classifyFailure(error: unknown, now: number): Failure {
  if (error instanceof APIUserAbortError) return build('aborted', error);
  if (error instanceof StreamEndedEarlyError) return build('connection', error);
  if (error instanceof APIConnectionTimeoutError) return build('timeout', error);
  if (error instanceof APIConnectionError) return build('connection', error);
  if (error instanceof APIError) {
    // `instanceof` types the SDK's generic parameters as any; these are their declared bounds.
    const { status, headers } = error as APIError;
    const errorType = error.type ?? undefined;
    const extra = {
      status,
      errorType,
      requestId: error.requestID ?? undefined,
      retryAfterMs: retryAfterFromHeaders(headers, now),
    };
    if (status === undefined) {
      // An `error` event inside an HTTP 200 stream.
      const kind = (errorType && streamErrorKinds[errorType]) || 'server_error';
      return build(kind, error, extra);
    }
    const shouldRetry = headerValue(headers, 'x-should-retry');
    let kind: FailureKind;
    if (status === 429) kind = 'rate_limited';
    else if (status === 529) kind = 'overloaded';
    else if (status >= 500) kind = 'server_error';
    else if (status === 408) kind = 'request_timeout';
    else if (status === 409) kind = 'conflict';
    else kind = 'client_error';
    const failure = build(kind, error, extra);
    if (shouldRetry === 'false') failure.retryable = false;
    if (shouldRetry === 'true' && kind === 'client_error') failure.retryable = true;
    return failure;
  }
  if (isConnectionDrop(error)) return build('connection', error);
  return build('unknown', error);
}
