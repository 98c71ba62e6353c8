import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One recorded exchange with the upstream API. Holds no credentials. */
export interface Cassette {
  /** File format version. */
  version: 1;
  /** The full request hash the file is found by. */
  key: string;
  /** When it was recorded, RFC 3339. */
  recordedAt: string;
  request: {
    /** HTTP method. */
    method: string;
    /** Path with the (sorted) query string. */
    path: string;
    /** Non-secret request headers that shape the answer (`anthropic-version`, `anthropic-beta`). */
    headers: Record<string, string>;
    /** The JSON body (parsed), the raw text when it was not JSON, or null when empty. */
    body: unknown;
  };
  response: {
    /** HTTP status. */
    status: number;
    /** Response headers worth replaying (content type, request id, rate-limit headers). */
    headers: Record<string, string>;
    /** The body exactly as received (JSON, SSE or JSONL text). */
    body: string;
  };
}

/** What identifies a request: its method, path and query, and its body as canonical JSON. */
export interface CassetteRequest {
  method: string;
  /** Path and query as the caller sent them. */
  pathWithQuery: string;
  /** The raw body text. */
  bodyText: string;
}

/** JSON with object keys sorted at every depth, so key order never changes a hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The body as JSON when it parses, else the text itself; null when empty. */
export function bodyValue(bodyText: string): unknown {
  if (bodyText.trim() === '') return null;
  try {
    return JSON.parse(bodyText) as unknown;
  } catch {
    return bodyText;
  }
}

/** Path plus query with parameters sorted, so `?b=1&a=2` and `?a=2&b=1` are one cassette. */
export function normalisedPath(pathWithQuery: string): string {
  const url = new URL(pathWithQuery, 'http://cassette.local');
  url.searchParams.sort();
  const query = url.searchParams.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}

/** The stable hash of a request (sha256 hex of method, normalised path and canonical body). */
export function cassetteKey(request: CassetteRequest): string {
  const body = bodyValue(request.bodyText);
  return createHash('sha256')
    .update(`${request.method.toUpperCase()} ${normalisedPath(request.pathWithQuery)}\n`)
    .update(body === null ? '' : canonicalJson(body))
    .digest('hex');
}

/** File name of a cassette: readable prefix plus the first 16 hex digits of the key. */
export function cassetteFileName(method: string, pathWithQuery: string, key: string): string {
  const pathname = new URL(pathWithQuery, 'http://cassette.local').pathname;
  const slug = pathname.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${method.toLowerCase()}-${slug}-${key.slice(0, 16)}.json`;
}

/** Reads a cassette, or undefined when none was recorded. */
export async function readCassette(dir: string, fileName: string): Promise<Cassette | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, fileName), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as Cassette;
}

/** Writes a cassette atomically (temp file, then rename), so a reader never sees half a file. */
export async function writeCassette(
  dir: string,
  fileName: string,
  cassette: Cassette,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const target = join(dir, fileName);
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(cassette, null, 2)}\n`);
  await rename(temporary, target);
}
