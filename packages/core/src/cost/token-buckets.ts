/**
 * The usage fields Keel reads from a Messages API response. Structurally compatible with the
 * official SDK's `Usage` (and with a streamed `message_delta` usage merged into `message_start`).
 */
export interface UsageLike {
  /** Input tokens after the last cache breakpoint (billed at the base input rate). */
  input_tokens?: number | null;
  /** Output tokens, thinking included. */
  output_tokens?: number | null;
  /** Tokens written to the prompt cache; the sum of `cache_creation`. */
  cache_creation_input_tokens?: number | null;
  /** Tokens read from the prompt cache. */
  cache_read_input_tokens?: number | null;
  /** Cache writes split by TTL; when absent every cache write is billed as a 5-minute write. */
  cache_creation?: {
    /** Tokens written with the 5-minute TTL. */
    ephemeral_5m_input_tokens?: number | null;
    /** Tokens written with the 1-hour TTL. */
    ephemeral_1h_input_tokens?: number | null;
  } | null;
  /** Server tool counters. */
  server_tool_use?: {
    /** Web searches run (billed per search). */
    web_search_requests?: number | null;
    /** Web fetches run (billed by tokens only). */
    web_fetch_requests?: number | null;
  } | null;
  /** `"batch"` when the request ran through the Message Batches API. */
  service_tier?: string | null;
  /** Where inference ran, e.g. `"us"`, `"global"`, `"not_available"`. */
  inference_geo?: string | null;
  /** `"fast"` for fast mode (priced separately; Keel reports it as unpriced). */
  speed?: string | null;
}

/** Token counts per billing bucket. */
export interface TokenBuckets {
  /** Uncached input tokens. */
  input: number;
  /** Tokens written to the cache with the 5-minute TTL. */
  cacheWrite5m: number;
  /** Tokens written to the cache with the 1-hour TTL. */
  cacheWrite1h: number;
  /** Tokens read from the cache. */
  cacheRead: number;
  /** Output tokens, thinking included. */
  output: number;
}

const count = (value: number | null | undefined): number => value ?? 0;

/**
 * Splits usage into billing buckets. Without a `cache_creation` breakdown, all
 * `cache_creation_input_tokens` are 5-minute writes. With one, any remainder of the total over the
 * breakdown is also billed as 5-minute writes, so no written token is left unpriced.
 */
export function tokenBucketsFromUsage(usage: UsageLike): TokenBuckets {
  const writes = count(usage.cache_creation_input_tokens);
  const breakdown = usage.cache_creation;
  const cacheWrite1h = breakdown ? count(breakdown.ephemeral_1h_input_tokens) : 0;
  const cacheWrite5m = breakdown
    ? Math.max(count(breakdown.ephemeral_5m_input_tokens), writes - cacheWrite1h)
    : writes;
  return {
    input: count(usage.input_tokens),
    cacheWrite5m,
    cacheWrite1h,
    cacheRead: count(usage.cache_read_input_tokens),
    output: count(usage.output_tokens),
  };
}

/** Every input-side token: uncached input, cache writes and cache reads. */
export function totalInputTokens(tokens: TokenBuckets): number {
  return tokens.input + tokens.cacheWrite5m + tokens.cacheWrite1h + tokens.cacheRead;
}

/** Input-side plus output tokens. */
export function totalTokens(tokens: TokenBuckets): number {
  return totalInputTokens(tokens) + tokens.output;
}

/** Cache reads as a share of all input-side tokens (0 when there was no input). */
export function cacheHitRatio(tokens: TokenBuckets): number {
  const total = totalInputTokens(tokens);
  return total === 0 ? 0 : tokens.cacheRead / total;
}
