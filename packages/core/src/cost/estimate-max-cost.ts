import type { ModelCatalog } from '@keel/models';
import { computeCost } from './compute-cost.ts';
import type { UnpricedReason } from './cost-result.ts';

export interface EstimateMaxCostOptions {
  /** The model the request will ask for (id or alias). */
  model: string;
  /** Estimated input tokens of the whole prompt (system, tools, messages). */
  inputTokens: number;
  /** The request's `max_tokens`: the output ceiling, thinking included. */
  maxOutputTokens: number;
  /** Where prices come from; the shipped catalog by default. */
  catalog?: ModelCatalog;
  /** True when the request goes through the Message Batches API. */
  batch?: boolean;
  /** The request's `inference_geo`. */
  inferenceGeo?: string | null;
  /**
   * The longest cache TTL the request writes with (`cache_control`), or null when it sets none.
   * Every input token is priced as a write of that TTL, the costliest way input can bill.
   * Default `'1h'`: the worst case when the caller does not know.
   */
  cacheWriteTtl?: '5m' | '1h' | null;
  /** The most web searches the request may run (its `max_uses`); 0 by default. */
  maxWebSearches?: number;
}

/** The most a request can cost, for budget reservations. */
export type MaxCostEstimate =
  | {
      priced: true;
      /** The catalog id of the model. */
      model: string;
      /** Worst-case picodollars. */
      picoUsd: bigint;
      /** Worst-case USD as exact decimal text. */
      usdText: string;
      /** True when the estimate crosses the long-context threshold. */
      longContext: boolean;
      /** Worst-case tokens: input plus `maxOutputTokens`. */
      tokens: number;
    }
  | {
      priced: false;
      /** The model as given (or its catalog id). */
      model: string;
      /** Why there is no price. */
      reason: UnpricedReason;
      /** Worst-case tokens: input plus `maxOutputTokens`. */
      tokens: number;
    };

/**
 * The worst-case cost of a request before it is sent: the estimated input priced at its costliest
 * bucket and the full `max_tokens` of output, with the long-context tier, batch discount and geo
 * multiplier applied as `computeCost` would apply them.
 */
export function estimateMaxCost(options: EstimateMaxCostOptions): MaxCostEstimate {
  const ttl = options.cacheWriteTtl === undefined ? '1h' : options.cacheWriteTtl;
  const input = options.inputTokens;
  const cost = computeCost({
    model: options.model,
    catalog: options.catalog,
    batch: options.batch ?? false,
    inferenceGeo: options.inferenceGeo ?? null,
    usage: {
      input_tokens: ttl === null ? input : 0,
      cache_creation_input_tokens: ttl === null ? 0 : input,
      cache_creation: {
        ephemeral_5m_input_tokens: ttl === '5m' ? input : 0,
        ephemeral_1h_input_tokens: ttl === '1h' ? input : 0,
      },
      output_tokens: options.maxOutputTokens,
      server_tool_use: { web_search_requests: options.maxWebSearches ?? 0 },
    },
  });
  const tokens = input + options.maxOutputTokens;
  if (!cost.priced) return { priced: false, model: cost.model, reason: cost.reason, tokens };
  return {
    priced: true,
    model: cost.model,
    picoUsd: cost.picoUsd,
    usdText: cost.usdText,
    longContext: cost.longContext,
    tokens,
  };
}
