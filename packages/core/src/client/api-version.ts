import type Anthropic from '@anthropic-ai/sdk';

/**
 * The `anthropic-version` the installed SDK (`@anthropic-ai/sdk` 1.12) sends unless a default or
 * per-request header says otherwise: the constant in its `client.js` `buildHeaders`.
 */
export const sdkDefaultApiVersion = '2026-10-21';

/** Headers as callers give them: a plain object, a `Headers`, or name/value pairs. */
type HeadersLike =
  | Record<string, string | null | undefined | readonly (string | null | undefined)[]>
  | Headers
  | ReadonlyArray<readonly [string, string | null | undefined]>
  | null
  | undefined;

/** The `anthropic-version` a set of headers names (matched case-insensitively), if any. */
export function headerApiVersion(headers: HeadersLike | unknown): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    return headers.get('anthropic-version') ?? undefined;
  }
  const entries: Iterable<readonly [string, unknown]> = Array.isArray(headers)
    ? (headers as ReadonlyArray<readonly [string, unknown]>)
    : Object.entries(headers as Record<string, unknown>);
  let found: string | undefined;
  for (const [name, value] of entries) {
    if (name.toLowerCase() !== 'anthropic-version') continue;
    const last: unknown = Array.isArray(value) ? value[value.length - 1] : value;
    if (typeof last === 'string' && last !== '') found = last;
  }
  return found;
}

/**
 * The API version an SDK client sends: its `defaultHeaders`' `anthropic-version` when set (how a
 * user pins `2023-06-01`), else the SDK's own. The SDK has no getter for this; it keeps the
 * constructor options on `_options` and merges `defaultHeaders` over its constant, so that is
 * what is read. A test pins this against the header the emulator actually receives.
 */
export function apiVersionOf(client: Anthropic): string {
  const options = (client as unknown as { _options?: { defaultHeaders?: unknown } })._options;
  return headerApiVersion(options?.defaultHeaders) ?? sdkDefaultApiVersion;
}
