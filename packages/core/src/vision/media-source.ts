import { readFile } from 'node:fs/promises';
import { MediaReadError } from './media-error.ts';

/** Where an image or document comes from. */
export type MediaSource =
  /** A local file. */
  | { path: string }
  /** An http(s) URL: passed to the API as is, or downloaded when asked. */
  | { url: string }
  /** Bytes in memory. */
  | { buffer: Uint8Array }
  /** Base64 data, optionally as a `data:` URL. */
  | { base64: string };

/** How to read a source. */
export interface ReadMediaOptions {
  /** Download URL sources and send their bytes (checked) instead of the URL. Default false. */
  download?: boolean;
  /** The fetch used for downloads; inject one in tests. Default the global fetch. */
  fetch?: typeof fetch;
  /** Aborts a download. */
  signal?: AbortSignal;
}

/** The bytes of a source, or its URL when the API is to fetch it. */
export type ReadMedia =
  { kind: 'bytes'; bytes: Uint8Array; label: string } | { kind: 'url'; url: string; label: string };

const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/** A short name for a source, used in errors. */
export function describeSource(source: MediaSource): string {
  if ('path' in source) return source.path;
  if ('url' in source) return source.url;
  if ('buffer' in source) return `buffer (${source.buffer.byteLength} bytes)`;
  return `base64 data (${source.base64.length} characters)`;
}

/** Reads a source's bytes (or checks its URL). */
export async function readMedia(
  source: MediaSource,
  options: ReadMediaOptions = {},
): Promise<ReadMedia> {
  const label = describeSource(source);
  if ('path' in source) {
    try {
      return { kind: 'bytes', bytes: await readFile(source.path), label };
    } catch (error) {
      throw new MediaReadError(label, (error as Error).message, { cause: error });
    }
  }
  if ('buffer' in source) return { kind: 'bytes', bytes: source.buffer, label };
  if ('base64' in source) {
    const data = source.base64.replace(/^data:[^;,]*;base64,/, '').replace(/\s+/g, '');
    if (!base64Pattern.test(data) || data.length % 4 !== 0) {
      throw new MediaReadError(label, 'not valid base64');
    }
    return { kind: 'bytes', bytes: Buffer.from(data, 'base64'), label };
  }
  let url: URL;
  try {
    url = new URL(source.url);
  } catch (error) {
    throw new MediaReadError(label, 'not a valid URL', { cause: error });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MediaReadError(label, 'only http and https URLs are supported');
  }
  if (!options.download) return { kind: 'url', url: url.href, label };
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(
      url,
      options.signal ? { signal: options.signal } : {},
    );
  } catch (error) {
    throw new MediaReadError(label, `download failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!response.ok) throw new MediaReadError(label, `download failed with HTTP ${response.status}`);
  return { kind: 'bytes', bytes: new Uint8Array(await response.arrayBuffer()), label };
}

/** The length of the base64 encoding of `byteLength` bytes: what the API counts. */
export function base64Length(byteLength: number): number {
  return Math.ceil(byteLength / 3) * 4;
}

/** Base64 of bytes without copying them first. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
