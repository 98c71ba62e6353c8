import type { Clock } from '../clock.ts';
import type { RateLimitOptions } from '../emulator-options.ts';
import { ApiError } from '../http/api-error.ts';
import { setLimitHeaders, type LimitSnapshot } from './rate-limit-headers.ts';
import { TokenBucket } from './token-bucket.ts';

/**
 * What an unlimited emulator reports: figures shaped like a high usage tier, so clients that read
 * the headers see a plausible configuration instead of a missing or infinite one.
 */
const unlimitedFigures = {
  requestsPerMinute: 4_000,
  inputTokensPerMinute: 2_000_000,
  outputTokensPerMinute: 400_000,
} as const;

type LimitName = 'requests' | 'input' | 'output';

interface KeyBuckets {
  requests: TokenBucket;
  input: TokenBucket;
  output: TokenBucket;
}

const units: Record<LimitName, string> = {
  requests: 'requests',
  input: 'input tokens',
  output: 'output tokens',
};

/**
 * Per-API-key token buckets for requests, input tokens (uncached input plus cache writes; cache
 * reads are free, as on current models) and output tokens (what was actually generated). Buckets
 * refill continuously from the emulator clock. A missing limit is unlimited but still reported.
 */
export class RateLimiter {
  #limits: RateLimitOptions | undefined;
  readonly #buckets = new Map<string, KeyBuckets>();

  constructor(
    limits: RateLimitOptions | undefined,
    private readonly clock: Clock,
  ) {
    this.#limits = limits;
  }

  /** Replaces the limits; every key starts again with full buckets. */
  configure(limits: RateLimitOptions | undefined): void {
    this.#limits = limits;
    this.#buckets.clear();
  }

  /** Refills every key's buckets to full. */
  reset(): void {
    this.#buckets.clear();
  }

  /** The limits in effect (undefined fields are unlimited). */
  limits(): RateLimitOptions {
    return { ...this.#limits };
  }

  /**
   * Counts one request against the key; throws a 429 `rate_limit_error` (with `retry-after`) when
   * the request bucket is empty or a token bucket is already exhausted.
   */
  admitRequest(apiKey: string): void {
    const now = this.clock.now();
    const buckets = this.#bucketsFor(apiKey, now);
    this.#refuseIfShort(apiKey, buckets, 'requests', 1, now);
    this.#refuseIfShort(apiKey, buckets, 'output', Number.MIN_VALUE, now);
    this.#refuseIfShort(apiKey, buckets, 'input', Number.MIN_VALUE, now);
    this.#take(buckets, 'requests', 1, now);
  }

  /**
   * Charges a request's input tokens (uncached input plus cache writes). Throws a 429 when the
   * bucket cannot cover them; a request larger than the whole limit passes only on a full bucket.
   */
  chargeInput(apiKey: string, tokens: number): void {
    const now = this.clock.now();
    const buckets = this.#bucketsFor(apiKey, now);
    this.#refuseIfShort(apiKey, buckets, 'input', tokens, now);
    this.#take(buckets, 'input', tokens, now);
  }

  /** Charges output tokens after they were produced (never refuses). */
  chargeOutput(apiKey: string, tokens: number): void {
    const now = this.clock.now();
    this.#take(this.#bucketsFor(apiKey, now), 'output', tokens, now);
  }

  /** The `anthropic-ratelimit-*` headers describing the key's buckets right now. */
  headers(apiKey: string): Record<string, string> {
    const now = this.clock.now();
    const buckets = this.#bucketsFor(apiKey, now);
    const snapshot = (name: LimitName): LimitSnapshot => {
      const bucket = buckets[name];
      // An unlimited bucket is reported full: a client that paces itself by these headers must
      // not slow down for a limit the emulator never enforces.
      if (!this.#isLimited(name))
        return { limit: bucket.capacity, remaining: bucket.capacity, resetAt: now };
      return {
        limit: bucket.capacity,
        remaining: bucket.level(now),
        resetAt: now + bucket.msUntilFull(now),
      };
    };
    const input = snapshot('input');
    const output = snapshot('output');
    // `tokens-*` shows the most restrictive token limit currently in effect.
    const tightest =
      input.remaining / input.limit <= output.remaining / output.limit ? input : output;
    const headers: Record<string, string> = {};
    setLimitHeaders(headers, 'requests', snapshot('requests'));
    setLimitHeaders(headers, 'tokens', tightest);
    setLimitHeaders(headers, 'input-tokens', input);
    setLimitHeaders(headers, 'output-tokens', output);
    return headers;
  }

  #bucketsFor(apiKey: string, now: number): KeyBuckets {
    let buckets = this.#buckets.get(apiKey);
    if (!buckets) {
      const limits = this.#limits ?? {};
      buckets = {
        requests: new TokenBucket(
          limits.requestsPerMinute ?? unlimitedFigures.requestsPerMinute,
          now,
        ),
        input: new TokenBucket(
          limits.inputTokensPerMinute ?? unlimitedFigures.inputTokensPerMinute,
          now,
        ),
        output: new TokenBucket(
          limits.outputTokensPerMinute ?? unlimitedFigures.outputTokensPerMinute,
          now,
        ),
      };
      this.#buckets.set(apiKey, buckets);
    }
    return buckets;
  }

  #isLimited(name: LimitName): boolean {
    const limits = this.#limits ?? {};
    const value =
      name === 'requests'
        ? limits.requestsPerMinute
        : name === 'input'
          ? limits.inputTokensPerMinute
          : limits.outputTokensPerMinute;
    return value !== undefined;
  }

  #take(buckets: KeyBuckets, name: LimitName, amount: number, now: number): void {
    // Unlimited buckets still move, so their headers look alive, but they never refuse.
    buckets[name].take(amount, now);
  }

  #refuseIfShort(
    apiKey: string,
    buckets: KeyBuckets,
    name: LimitName,
    amount: number,
    now: number,
  ): void {
    if (!this.#isLimited(name)) return;
    const bucket = buckets[name];
    const wait = bucket.msUntil(amount, now);
    if (wait <= 0) return;
    const retryAfter = Math.max(1, Math.ceil(wait / 1000));
    throw new ApiError(
      'rate_limit_error',
      `This request would exceed the rate limit for your organization of ${bucket.capacity} ${units[name]} per minute. ` +
        'You can see the response headers for current usage. Please reduce the request size or try again later.',
      { headers: { 'retry-after': String(retryAfter), ...this.headers(apiKey) } },
    );
  }
}
