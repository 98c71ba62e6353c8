import type { TokenBuckets } from './token-buckets.ts';

/** One billing bucket of a priced request. */
export interface CostBucket {
  /** Tokens billed in this bucket. */
  tokens: number;
  /** The exact rate applied, in picodollars per token (after every multiplier). */
  picoUsdPerToken: bigint;
  /** `tokens × picoUsdPerToken`. */
  picoUsd: bigint;
}

/** Web searches of a priced request. */
export interface WebSearchCost {
  /** Searches billed. */
  requests: number;
  /** Picodollars per search. */
  picoUsdPerRequest: bigint;
  /** `requests × picoUsdPerRequest`. */
  picoUsd: bigint;
}

/** The cost of a request whose model has a known price. */
export interface PricedCost {
  priced: true;
  /** The catalog id of the model that was priced. */
  model: string;
  /** The exact total in picodollars (1e-12 USD). */
  picoUsd: bigint;
  /** The exact total as decimal USD text, e.g. "0.0034375". */
  usdText: string;
  /** The total as a float, for display and metrics only. */
  usd: number;
  /** Tokens and cost per bucket. */
  breakdown: Record<keyof TokenBuckets, CostBucket> & { webSearch: WebSearchCost };
  /** Token counts per bucket. */
  tokens: TokenBuckets;
  /** True when the long-context tier priced every token of the request. */
  longContext: boolean;
  /** True when the batch discount applied. */
  batch: boolean;
  /** True when the `inference_geo: "us"` multiplier applied. */
  geoUs: boolean;
  /** True when the usage came from an aborted stream: the real bill may be higher. */
  partial: boolean;
}

/** Why a request could not be priced. */
export type UnpricedReason =
  /** The model is not in the catalog. */
  | 'unknown_model'
  /** The catalog lists the model without a price. */
  | 'no_price'
  /** Fast mode has its own prices, which the catalog does not carry. */
  | 'fast_mode';

/** A request Keel cannot price. Its cost is unknown, never $0. */
export interface UnpricedCost {
  priced: false;
  /** The model as given (or its catalog id when the model is known). */
  model: string;
  /** Why there is no price. */
  reason: UnpricedReason;
  /** Token counts per bucket (still known without a price). */
  tokens: TokenBuckets;
  /** Web searches run. */
  webSearchRequests: number;
  /** True when the request ran through the Message Batches API. */
  batch: boolean;
  /** True when the usage came from an aborted stream. */
  partial: boolean;
}

/** The result of `computeCost`. */
export type CostResult = PricedCost | UnpricedCost;
