import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../clock.ts';
import { hashApiKey } from './hash-api-key.ts';
import { readAnnotation } from './request-annotations.ts';
import type { RequestLog } from './request-log.ts';

export interface WatchRequestOptions {
  /** The log to record into. */
  log: RequestLog;
  /** The emulator's clock, for the entry's time. */
  clock: Clock;
  /** The `request-id` sent with the response. */
  requestId: string;
  /** The path without query string. */
  path: string;
}

function apiKeyOf(request: IncomingMessage): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) {
    return authorization.slice(7).trim() || null;
  }
  return null;
}

/**
 * Records a request in the log once its response is over, whether it finished or the connection
 * closed early ('close' fires in both cases; `writableFinished` tells them apart).
 */
export function watchRequest(
  request: IncomingMessage,
  response: ServerResponse,
  options: WatchRequestOptions,
): void {
  const time = new Date(options.clock.now()).toISOString();
  const started = performance.now();
  response.once('close', () => {
    const annotation = readAnnotation(response);
    const key = apiKeyOf(request);
    options.log.record({
      requestId: options.requestId,
      time,
      method: request.method ?? 'GET',
      path: options.path,
      status: response.headersSent ? response.statusCode : 0,
      completed: response.writableFinished,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      apiKeyHash: key === null ? null : hashApiKey(key),
      model: annotation?.model ?? null,
      stream: annotation?.stream ?? false,
      usage: annotation?.usage ?? null,
      fault: annotation?.fault ?? null,
      scenario: annotation?.scenario ?? null,
    });
  });
}
