import type { IncomingHttpHeaders } from 'node:http';

/** Request headers passed to the upstream: credentials go through, but are never stored. */
const forwardedRequestHeaders = [
  'x-api-key',
  'authorization',
  'anthropic-version',
  'anthropic-beta',
  'content-type',
  'accept',
];

/** Request headers kept in a cassette: only those that change the answer, never credentials. */
const storedRequestHeaders = ['anthropic-version', 'anthropic-beta'];

/** Response headers replayed. An allow-list, so cookies, org ids and hop-by-hop headers stay out. */
const keptResponseHeader = (name: string): boolean =>
  name === 'content-type' ||
  name === 'request-id' ||
  name === 'retry-after' ||
  name === 'x-should-retry' ||
  name.startsWith('anthropic-ratelimit-');

function pick(headers: IncomingHttpHeaders, names: string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (typeof value === 'string') picked[name] = value;
  }
  return picked;
}

/** Headers to send upstream for a caller's request. */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  // identity: the body is relayed and stored byte for byte, so it must not arrive compressed.
  return { ...pick(headers, forwardedRequestHeaders), 'accept-encoding': 'identity' };
}

/** The caller's headers worth storing with a cassette. */
export function storedRequestHeadersOf(headers: IncomingHttpHeaders): Record<string, string> {
  return pick(headers, storedRequestHeaders);
}

/** The upstream response headers worth relaying and storing. */
export function keptResponseHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (keptResponseHeader(name)) kept[name] = value;
  });
  return kept;
}
