import type { IncomingMessage } from 'node:http';
import { ApiError, invalidRequest } from './api-error.ts';

/** The real API refuses Messages requests over 32 MB before they reach a model. */
const maxBodyBytes = 32 * 1024 * 1024;

/** Deeper JSON than this is refused: nothing in the API nests that far, and walking it is costly. */
const maxJsonDepth = 256;

/**
 * Reads the whole request body as text, refusing oversized bodies with a 413 and bytes that are
 * not UTF-8 with a 400. An oversized body is drained (not buffered) so the client, still sending,
 * receives the 413 instead of a reset connection.
 */
export async function readBody(request: IncomingMessage, limit = maxBodyBytes): Promise<string> {
  const declared = Number(request.headers['content-length']);
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = Number.isFinite(declared) && declared > limit;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    if (tooLarge) continue;
    size += chunk.length;
    if (size > limit) {
      tooLarge = true;
      chunks.length = 0;
      continue;
    }
    chunks.push(chunk);
  }
  if (tooLarge) {
    throw new ApiError(
      'request_too_large',
      `Request exceeds the maximum allowed size of ${limit} bytes`,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw invalidRequest('There was an issue with your request body: it is not valid UTF-8');
  }
}

/** The depth of the deepest array or object in a JSON text (strings skipped). */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 92)
        i++; // backslash: skip the escaped character
      else if (code === 34) inString = false;
    } else if (code === 34) inString = true;
    else if (code === 91 || code === 123) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (code === 93 || code === 125) depth--;
  }
  return deepest;
}

/**
 * Parses a JSON body; malformed or absurdly nested JSON is a 400 like the real API's. Keys that
 * would replace an object's prototype when copied (`__proto__`) are dropped.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw invalidRequest('Request body is empty; expected a JSON object');
  if (jsonDepth(text) > maxJsonDepth) {
    throw invalidRequest(
      `There was an issue with your request body: JSON nested deeper than ${maxJsonDepth} levels`,
    );
  }
  try {
    // JSON.parse keeps `__proto__` as an own key, but copying it by assignment sets a prototype.
    return text.includes('__proto__')
      ? JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value))
      : JSON.parse(text);
  } catch (error) {
    throw invalidRequest(
      `There was an issue with your request body: invalid JSON (${(error as Error).message})`,
    );
  }
}
