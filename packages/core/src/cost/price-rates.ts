import { ValidationError } from '@keel/errors';
import type { ModelCatalog, ModelPricing } from '@keel/models';
import { parseExactDecimal, scaleToInteger, type ExactDecimal } from './pico-usd.ts';
import type { TokenBuckets } from './token-buckets.ts';

/** Web search is billed per search, not per token: $10 per 1,000 searches (Anthropic pricing page). */
export const WEB_SEARCH_PICO_USD_PER_REQUEST = 10_000_000_000n;

/** Per-token rates, in picodollars, for one request's pricing conditions. */
export interface PriceRates extends Record<keyof TokenBuckets, bigint> {
  /** Picodollars per web search. */
  webSearch: bigint;
}

/** The conditions that change a request's rates. */
export interface RateConditions {
  /** The model's catalog pricing. */
  pricing: ModelPricing;
  /** The catalog defaults: cache multipliers applied on top of a long-context tier's base rate. */
  defaults: ModelCatalog['defaults'];
  /** True when the request crossed the model's long-context threshold. */
  longContext: boolean;
  /** True for Message Batches API requests. */
  batch: boolean;
  /** True when the request ran with `inference_geo: "us"`. */
  geoUs: boolean;
}

function multiply(factors: ExactDecimal[]): ExactDecimal {
  return factors.reduce(
    (product, factor) => ({
      mantissa: product.mantissa * factor.mantissa,
      scale: product.scale + factor.scale,
    }),
    { mantissa: 1n, scale: 0 },
  );
}

/** `$/MTok × multipliers` as picodollars per token; a $/MTok price is 1e6 picodollars per token. */
function perTokenRate(pricePerMillion: number, multipliers: number[], label: string): bigint {
  const factors = [pricePerMillion, ...multipliers].map((value) =>
    parseExactDecimal(value, `price ${label}`),
  );
  const rate = scaleToInteger(multiply(factors), 6);
  if (rate === undefined) {
    throw new ValidationError('model pricing', [
      `${label}: ${[pricePerMillion, ...multipliers].join(' × ')} $/MTok is finer than one picodollar per token`,
    ]);
  }
  return rate;
}

// Rates depend only on the (immutable) pricing entry, the catalog defaults and three flags:
// compute each combination once. Looked up by identity and a flag index, with no key to build.
const cache = new WeakMap<ModelPricing, WeakMap<RateConditions['defaults'], PriceRates[]>>();

/** The exact per-token rates for a request's conditions (long context, batch, US geo). */
export function priceRates(conditions: RateConditions): PriceRates {
  let byDefaults = cache.get(conditions.pricing);
  if (!byDefaults) cache.set(conditions.pricing, (byDefaults = new WeakMap()));
  let slots = byDefaults.get(conditions.defaults);
  if (!slots) byDefaults.set(conditions.defaults, (slots = []));
  const index =
    (conditions.longContext ? 4 : 0) + (conditions.batch ? 2 : 0) + (conditions.geoUs ? 1 : 0);
  return (slots[index] ??= Object.freeze(computeRates(conditions)));
}

const rateNumberCache = new WeakMap<PriceRates, RateNumbers | null>();

/** The rates as JS numbers, in bucket order then web search; each exact (below 2^53). */
export type RateNumbers = readonly [number, number, number, number, number, number];

/**
 * The same rates as exact JS numbers, or undefined when one of them is too large to be exact.
 * Integer products and sums below 2^53 are exact in floating point, so most requests can be
 * priced without bigint arithmetic (which Node runs out of line, and slowly when cold).
 */
export function rateNumbers(rates: PriceRates): RateNumbers | undefined {
  let numbers = rateNumberCache.get(rates);
  if (numbers === undefined) {
    const values = [
      rates.input,
      rates.cacheWrite5m,
      rates.cacheWrite1h,
      rates.cacheRead,
      rates.output,
      rates.webSearch,
    ];
    numbers = values.every((value) => value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= 0n)
      ? (values.map(Number) as unknown as RateNumbers)
      : null;
    rateNumberCache.set(rates, numbers);
  }
  return numbers ?? undefined;
}

function computeRates(conditions: RateConditions): PriceRates {
  const { pricing, defaults } = conditions;
  const modifiers = [
    ...(conditions.batch ? [pricing.batchDiscount] : []),
    ...(conditions.geoUs && pricing.inferenceGeoUsMultiplier !== null
      ? [pricing.inferenceGeoUsMultiplier]
      : []),
  ];
  const tier = conditions.longContext ? pricing.longContext : null;
  // In a long-context tier every bucket derives from the tier's base input rate; otherwise the
  // catalog's published per-bucket prices are used as they are.
  const base = tier
    ? {
        input: [tier.input],
        cacheWrite5m: [tier.input, defaults.cacheWrite5mMultiplier],
        cacheWrite1h: [tier.input, defaults.cacheWrite1hMultiplier],
        cacheRead: [tier.input, defaults.cacheReadMultiplier],
        output: [tier.output],
      }
    : {
        input: [pricing.input],
        cacheWrite5m: [pricing.cacheWrite5m],
        cacheWrite1h: [pricing.cacheWrite1h],
        cacheRead: [pricing.cacheRead],
        output: [pricing.output],
      };
  const rate = (bucket: keyof typeof base): bigint => {
    const [price = 0, ...multipliers] = base[bucket];
    return perTokenRate(price, [...multipliers, ...modifiers], bucket);
  };
  return {
    input: rate('input'),
    cacheWrite5m: rate('cacheWrite5m'),
    cacheWrite1h: rate('cacheWrite1h'),
    cacheRead: rate('cacheRead'),
    output: rate('output'),
    webSearch: WEB_SEARCH_PICO_USD_PER_REQUEST,
  };
}
