import { KeelError } from '@keel/errors';
import type { Redis } from 'ioredis';

/** A request over the per-minute limit. */
export class RateLimitedError extends KeelError<
  { limit: number; retryAfterSeconds: number },
  'rate_limited'
> {
  constructor(limit: number, retryAfterSeconds: number) {
    super(
      'rate_limited',
      `Too many requests: the limit is ${limit} per minute. Try again in ${retryAfterSeconds} s.`,
      { limit, retryAfterSeconds },
    );
  }
}

/** Counts requests per key in fixed one-minute windows. */
export interface RequestRateLimiter {
  /** Counts one request; throws RateLimitedError when the key is over its limit this minute. */
  hit(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Options shared by both limiters. */
export interface RateLimiterOptions {
  /** Requests allowed per key per minute. */
  requestsPerMinute: number;
  /** Milliseconds since the epoch. Default Date.now. */
  now?: () => number;
}

function window(now: number): { minute: number; retryAfterSeconds: number } {
  const minute = Math.floor(now / 60_000);
  return {
    minute,
    retryAfterSeconds: Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000)),
  };
}

/** One process's limiter. */
export function memoryRateLimiter(options: RateLimiterOptions): RequestRateLimiter {
  const now = options.now ?? Date.now;
  const counts = new Map<string, { minute: number; count: number }>();
  return {
    async hit(key) {
      const { minute, retryAfterSeconds } = window(now());
      const entry = counts.get(key);
      if (!entry || entry.minute !== minute) {
        // Old windows are dropped lazily, so the map holds at most one entry per active key.
        counts.set(key, { minute, count: 1 });
        if (counts.size > 100_000) {
          for (const [other, value] of counts) if (value.minute !== minute) counts.delete(other);
        }
        return;
      }
      entry.count += 1;
      if (entry.count > options.requestsPerMinute) {
        throw new RateLimitedError(options.requestsPerMinute, retryAfterSeconds);
      }
    },
    async close() {},
  };
}

/** A limiter shared by every instance through Redis (`INCR` on a per-minute key). */
export function redisRateLimiter(
  options: RateLimiterOptions & { redis: Redis; keyPrefix: string },
): RequestRateLimiter {
  const now = options.now ?? Date.now;
  return {
    async hit(key) {
      const { minute, retryAfterSeconds } = window(now());
      const redisKey = `${options.keyPrefix}ratelimit:${key}:${minute}`;
      const results = await options.redis.multi().incr(redisKey).expire(redisKey, 120).exec();
      const count = Number(results?.[0]?.[1] ?? 0);
      if (count > options.requestsPerMinute) {
        throw new RateLimitedError(options.requestsPerMinute, retryAfterSeconds);
      }
    },
    async close() {
      options.redis.disconnect();
    },
  };
}
