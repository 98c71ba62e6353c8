import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import type { CostResult, PricedCost } from './cost-result.ts';
import { formatPicoUsd, formatSafePicoUsd } from './pico-usd.ts';
import { priceRates, rateNumbers, type PriceRates, type RateNumbers } from './price-rates.ts';
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

  const numbers = rateNumbers(rates);
  const money =
    (numbers && pricedWithNumbers(tokens, webSearchRequests, rates, numbers)) ??
    pricedWithBigInts(tokens, webSearchRequests, rates);
  return {
    priced: true,
    model: model.id,
    picoUsd: money.picoUsd,
    usdText: money.usdText,
    usd: money.usd,
    breakdown: money.breakdown,
    tokens,
    longContext,
    batch,
    geoUs,
    partial,
  };
}

type PricedMoney = Pick<PricedCost, 'picoUsd' | 'usdText' | 'usd' | 'breakdown'>;

/** Bucket by bucket in bigints: exact at any size. */
function pricedWithBigInts(
  tokens: TokenBuckets,
  webSearchRequests: number,
  rates: PriceRates,
): PricedMoney {
  const input = BigInt(tokens.input) * rates.input;
  const cacheWrite5m = BigInt(tokens.cacheWrite5m) * rates.cacheWrite5m;
  const cacheWrite1h = BigInt(tokens.cacheWrite1h) * rates.cacheWrite1h;
  const cacheRead = BigInt(tokens.cacheRead) * rates.cacheRead;
  const output = BigInt(tokens.output) * rates.output;
  const webSearch = BigInt(webSearchRequests) * rates.webSearch;
  const picoUsd = input + cacheWrite5m + cacheWrite1h + cacheRead + output + webSearch;
  const usdText = formatPicoUsd(picoUsd);
  return {
    picoUsd,
    usdText,
    usd: Number(usdText),
    breakdown: costBreakdown(tokens, webSearchRequests, rates, [
      input,
      cacheWrite5m,
      cacheWrite1h,
      cacheRead,
      output,
      webSearch,
    ]),
  };
}

/**
 * The same arithmetic in JS numbers, exact while every product and the total stay below 2^53
 * picodollars (about $9,007 per request); undefined otherwise, and the caller uses bigints.
 */
function pricedWithNumbers(
  tokens: TokenBuckets,
  webSearchRequests: number,
  rates: PriceRates,
  numbers: RateNumbers,
): PricedMoney | undefined {
  const input = tokens.input * numbers[0];
  const cacheWrite5m = tokens.cacheWrite5m * numbers[1];
  const cacheWrite1h = tokens.cacheWrite1h * numbers[2];
  const cacheRead = tokens.cacheRead * numbers[3];
  const output = tokens.output * numbers[4];
  const webSearch = webSearchRequests * numbers[5];
  const total = input + cacheWrite5m + cacheWrite1h + cacheRead + output + webSearch;
  if (
    !Number.isSafeInteger(total) ||
    !Number.isSafeInteger(input) ||
    !Number.isSafeInteger(cacheWrite5m) ||
    !Number.isSafeInteger(cacheWrite1h) ||
    !Number.isSafeInteger(cacheRead) ||
    !Number.isSafeInteger(output) ||
    !Number.isSafeInteger(webSearch)
  ) {
    return undefined;
  }
  return {
    picoUsd: BigInt(total),
    usdText: formatSafePicoUsd(total),
    // Both exact, so this division is the correctly rounded value of the decimal text.
    usd: total / 1e12,
    breakdown: costBreakdown(tokens, webSearchRequests, rates, [
      BigInt(input),
      BigInt(cacheWrite5m),
      BigInt(cacheWrite1h),
      BigInt(cacheRead),
      BigInt(output),
      BigInt(webSearch),
    ]),
  };
}

/** The per-bucket breakdown, from the picodollars of each bucket in bucket order, then searches. */
function costBreakdown(
  tokens: TokenBuckets,
  webSearchRequests: number,
  rates: PriceRates,
  picoUsd: readonly [bigint, bigint, bigint, bigint, bigint, bigint],
): PricedCost['breakdown'] {
  return {
    input: { tokens: tokens.input, picoUsdPerToken: rates.input, picoUsd: picoUsd[0] },
    cacheWrite5m: {
      tokens: tokens.cacheWrite5m,
      picoUsdPerToken: rates.cacheWrite5m,
      picoUsd: picoUsd[1],
    },
    cacheWrite1h: {
      tokens: tokens.cacheWrite1h,
      picoUsdPerToken: rates.cacheWrite1h,
      picoUsd: picoUsd[2],
    },
    cacheRead: { tokens: tokens.cacheRead, picoUsdPerToken: rates.cacheRead, picoUsd: picoUsd[3] },
    output: { tokens: tokens.output, picoUsdPerToken: rates.output, picoUsd: picoUsd[4] },
    webSearch: {
      requests: webSearchRequests,
      picoUsdPerRequest: rates.webSearch,
      picoUsd: picoUsd[5],
    },
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
