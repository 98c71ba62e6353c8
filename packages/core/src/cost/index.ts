export { computeCost, type ComputeCostOptions } from './compute-cost.ts';
export { costToJson, type CostJson } from './cost-json.ts';
export type {
  CostBucket,
  CostResult,
  PricedCost,
  UnpricedCost,
  UnpricedReason,
  WebSearchCost,
} from './cost-result.ts';
export {
  estimateMaxCost,
  type EstimateMaxCostOptions,
  type MaxCostEstimate,
} from './estimate-max-cost.ts';
export {
  PICO_USD_PER_USD,
  formatPicoUsd,
  parseExactDecimal,
  picoUsdFromUsd,
  picoUsdToUsd,
  type ExactDecimal,
} from './pico-usd.ts';
export {
  WEB_SEARCH_PICO_USD_PER_REQUEST,
  priceRates,
  type PriceRates,
  type RateConditions,
} from './price-rates.ts';
export {
  cacheHitRatio,
  tokenBucketsFromUsage,
  totalInputTokens,
  totalTokens,
  type TokenBuckets,
  type UsageLike,
} from './token-buckets.ts';
