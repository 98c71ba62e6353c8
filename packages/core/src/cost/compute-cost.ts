import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import type { CostBucket, CostResult } from './cost-result.ts';
import { formatPicoUsd, picoUsdToUsd } from './pico-usd.ts';
import { priceRates } from './price-rates.ts';
import {
  tokenBucketsFromUsage,
  totalInputTokens,
  type TokenBuckets,
  type UsageLike,
} from './token-buckets.ts';

export interface ComputeCostOptions {
  /** The model that served the request (id or alias); the response's `model` field. */
  model: string;
  /** The response's `usage`. */
  usage: UsageLike;
  /** Where prices come from; the shipped catalog by default. */
  catalog?: ModelCatalog;
  /**
   * Force the batch discount on or off. By default it applies when `usage.service_tier` is
   * `"batch"`.
   */
  batch?: boolean;
  /**
   * The request's `inference_geo`, when known. By default `usage.inference_geo` is used; only
   * `"us"` changes the price, and only on models whose catalog entry has a US multiplier.
   */
  inferenceGeo?: string | null;
  /** Marks usage from an aborted stream; passed through to the result. */
  partial?: boolean;
}

const bucketNames = ['input', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'output'] as const;

/**
 * Prices one response exactly, by the published rules: per-bucket rates (uncached input, 5-minute
 * and 1-hour cache writes, cache reads, output with thinking), the long-context tier (every token
 * at the tier's rates once input + cache writes + cache reads exceed its threshold), the batch
 * discount, the US inference-geo multiplier, and web searches. Unknown prices yield
 * `{ priced: false }`, never $0.
 */
export function computeCost(options: ComputeCostOptions): CostResult {
  // Runs once per call: written without closures or object spreads, which Node 20 makes slow.
  const catalog = options.catalog ?? defaultModelCatalog();
  const { usage } = options;
  const tokens = tokenBucketsFromUsage(usage);
  const webSearchRequests = usage.server_tool_use?.web_search_requests ?? 0;
  const batch = options.batch ?? usage.service_tier === 'batch';
  const partial = options.partial ?? false;
  const model = catalog.find(options.model);
  const unpriced = { tokens, webSearchRequests, batch, partial };
  if (!model) return unpricedCost('unknown_model', options.model, unpriced);
  if (!model.pricing) return unpricedCost('no_price', model.id, unpriced);
  if (usage.speed === 'fast') return unpricedCost('fast_mode', model.id, unpriced);

  const { pricing } = model;
  const geo = options.inferenceGeo !== undefined ? options.inferenceGeo : usage.inference_geo;
  const geoUs = geo === 'us' && pricing.inferenceGeoUsMultiplier !== null;
  const longContext =
    pricing.longContext !== null &&
    totalInputTokens(tokens) > pricing.longContext.thresholdInputTokens;
  const rates = priceRates({ pricing, defaults: catalog.defaults, longContext, batch, geoUs });

  const breakdown = {} as Record<keyof TokenBuckets, CostBucket> & {
    webSearch: { requests: number; picoUsdPerRequest: bigint; picoUsd: bigint };
  };
  let picoUsd = 0n;
  for (const name of bucketNames) {
    const bucketPicoUsd = BigInt(tokens[name]) * rates[name];
    breakdown[name] = {
      tokens: tokens[name],
      picoUsdPerToken: rates[name],
      picoUsd: bucketPicoUsd,
    };
    picoUsd += bucketPicoUsd;
  }
  const webSearchPicoUsd = BigInt(webSearchRequests) * rates.webSearch;
  breakdown.webSearch = {
    requests: webSearchRequests,
    picoUsdPerRequest: rates.webSearch,
    picoUsd: webSearchPicoUsd,
  };
  picoUsd += webSearchPicoUsd;
  return {
    priced: true,
    model: model.id,
    picoUsd,
    usdText: formatPicoUsd(picoUsd),
    usd: picoUsdToUsd(picoUsd),
    breakdown,
    tokens,
    longContext,
    batch,
    geoUs,
    partial,
  };
}

function unpricedCost(
  reason: 'unknown_model' | 'no_price' | 'fast_mode',
  model: string,
  fields: { tokens: TokenBuckets; webSearchRequests: number; batch: boolean; partial: boolean },
): CostResult {
  return {
    priced: false,
    model,
    reason,
    tokens: fields.tokens,
    webSearchRequests: fields.webSearchRequests,
    batch: fields.batch,
    partial: fields.partial,
  };
}
