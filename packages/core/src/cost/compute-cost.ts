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
  const catalog = options.catalog ?? defaultModelCatalog();
  const { usage } = options;
  const tokens = tokenBucketsFromUsage(usage);
  const webSearchRequests = usage.server_tool_use?.web_search_requests ?? 0;
  const batch = options.batch ?? usage.service_tier === 'batch';
  const partial = options.partial ?? false;
  const model = catalog.find(options.model);
  const unpriced = (reason: 'unknown_model' | 'no_price' | 'fast_mode', id: string) =>
    ({ priced: false, model: id, reason, tokens, webSearchRequests, batch, partial }) as const;
  if (!model) return unpriced('unknown_model', options.model);
  if (!model.pricing) return unpriced('no_price', model.id);
  if (usage.speed === 'fast') return unpriced('fast_mode', model.id);

  const { pricing } = model;
  const geo = options.inferenceGeo !== undefined ? options.inferenceGeo : usage.inference_geo;
  const geoUs = geo === 'us' && pricing.inferenceGeoUsMultiplier !== null;
  const longContext =
    pricing.longContext !== null &&
    totalInputTokens(tokens) > pricing.longContext.thresholdInputTokens;
  const rates = priceRates({ pricing, defaults: catalog.defaults, longContext, batch, geoUs });

  const bucket = (name: keyof TokenBuckets): CostBucket => ({
    tokens: tokens[name],
    picoUsdPerToken: rates[name],
    picoUsd: BigInt(tokens[name]) * rates[name],
  });
  const buckets = Object.fromEntries(bucketNames.map((name) => [name, bucket(name)])) as Record<
    keyof TokenBuckets,
    CostBucket
  >;
  const webSearch = {
    requests: webSearchRequests,
    picoUsdPerRequest: rates.webSearch,
    picoUsd: BigInt(webSearchRequests) * rates.webSearch,
  };
  const picoUsd =
    bucketNames.reduce((sum, name) => sum + buckets[name].picoUsd, 0n) + webSearch.picoUsd;
  return {
    priced: true,
    model: model.id,
    picoUsd,
    usdText: formatPicoUsd(picoUsd),
    usd: picoUsdToUsd(picoUsd),
    breakdown: { ...buckets, webSearch },
    tokens,
    longContext,
    batch,
    geoUs,
    partial,
  };
}
