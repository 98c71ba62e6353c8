import {
  cacheHitRatio,
  tokenBucketsFromUsage,
  totalInputTokens,
  type TokenBuckets,
  type UsageLike,
} from '../cost/token-buckets.ts';

/**
 * Tokens of one call by billing bucket, plus totals: the usage shape of `CallResult`,
 * `CallRecord`, logs and spans.
 *
 * The other token shapes are different concepts, kept on purpose:
 * - `UsageLike` (cost/): the API's own `usage` object (snake_case), the input of pricing;
 * - `TokenBuckets` (cost/): the billing buckets alone, which this extends;
 * - `TokenCounts` (@keel/protocol): the API's four counts summed over a run, returned by the
 *   building blocks and knowledge answers (callers of any `MessagesCaller` can add them up);
 * - `TurnUsage` (@keel/protocol): one chat answer on the wire, with its cost in USD and calls;
 * - `Amounts` (budget/): money and tokens of a budget counter, as bigints.
 */
export interface TokenUsage extends TokenBuckets {
  /** Every input-side token: uncached input + cache writes + cache reads. */
  totalInput: number;
  /** Cache reads as a share of all input-side tokens. */
  cacheHitRatio: number;
  /** Output tokens spent on thinking, when the API reports it. */
  thinking?: number;
  /** True when the counts come from an interrupted or aborted stream. */
  partial: boolean;
}

/** Summarises an API `usage` object. */
export function tokenUsage(
  usage: UsageLike & { output_tokens_details?: { thinking_tokens?: number } | null },
  partial = false,
): TokenUsage {
  const buckets = tokenBucketsFromUsage(usage);
  const thinking = usage.output_tokens_details?.thinking_tokens;
  return {
    ...buckets,
    totalInput: totalInputTokens(buckets),
    cacheHitRatio: cacheHitRatio(buckets),
    partial,
    ...(typeof thinking === 'number' ? { thinking } : {}),
  };
}
