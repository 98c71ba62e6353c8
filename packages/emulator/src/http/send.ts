import type { ServerResponse } from 'node:http';
import type { ApiError } from './api-error.ts';

/** Every response says it came from the emulator, never from Claude. */
export const emulatedHeader = 'x-keel-emulator';

/** Writes a JSON response with the emulator's standard headers. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Writes an API error in the real body shape, with its status and headers. */
export function sendApiError(
  response: ServerResponse,
  error: ApiError,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  sendJson(response, error.status, error.body(requestId), { ...headers, ...error.headers });
}
