import type { IncomingMessage } from 'node:http';
import { ApiError, invalidRequest } from './api-error.ts';

/** The real API refuses Messages requests over 32 MB before they reach a model. */
export const maxBodyBytes = 32 * 1024 * 1024;

/** Reads the whole request body as text, refusing oversized bodies with a 413. */
export async function readBody(request: IncomingMessage, limit = maxBodyBytes): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new ApiError(
        'request_too_large',
        `Request exceeds the maximum allowed size of ${limit} bytes`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON body; malformed JSON is a 400 like the real API's. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw invalidRequest('Request body is empty; expected a JSON object');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidRequest(
      `There was an issue with your request body: invalid JSON (${(error as Error).message})`,
    );
  }
}
