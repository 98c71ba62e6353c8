import { KeelError } from '@keel/errors';
import type { Redis } from 'ioredis';

/** Too many registrations from one address this hour. */
class RegistrationThrottledError extends KeelError<
  {
    limit: number;
    retryAfterSeconds: number;
  },
  'registration_throttled'
> {
  constructor(limit: number, retryAfterSeconds: number) {
    super(
      'registration_throttled',
      `Too many new accounts from this address (the limit is ${limit} an hour). Try again in ${retryAfterSeconds} s, or sign in to an account you have`,
      { limit, retryAfterSeconds },
    );
  }
}

/** Options of the registration throttles. */
export interface RegistrationThrottleOptions {
  /** Registration attempts per address per hour. */
  perHour: number;
  /** Milliseconds since the epoch. Default Date.now. */
  now?: () => number;
}

/**
 * Registration attempts per client address in fixed one-hour windows, so one machine cannot mint
 * accounts (and with them fresh per-user budgets and rate limits) in bulk; the global daily
 * budget bounds what many addresses together can spend.
 */
export interface RegistrationThrottle {
  /** Counts one attempt; throws RegistrationThrottledError once the address is over its limit. */
  hit(address: string): Promise<void>;
}

function window(now: number): { hour: number; retryAfterSeconds: number } {
  const hour = Math.floor(now / 3600_000);
  return {
    hour,
    retryAfterSeconds: Math.max(1, Math.ceil(((hour + 1) * 3600_000 - now) / 1000)),
  };
}

/** One process's count: with several processes each keeps its own. */
export function memoryRegistrationThrottle(
  options: RegistrationThrottleOptions,
): RegistrationThrottle {
  const counts = new Map<string, { hour: number; count: number }>();
  const clock = options.now ?? Date.now;
  return {
    async hit(address) {
      const { hour, retryAfterSeconds } = window(clock());
      const entry = counts.get(address);
      if (!entry || entry.hour !== hour) {
        counts.set(address, { hour, count: 1 });
        if (counts.size > 100_000) {
          for (const [key, value] of counts) if (value.hour !== hour) counts.delete(key);
        }
        return;
      }
      entry.count += 1;
      if (entry.count > options.perHour) {
        throw new RegistrationThrottledError(options.perHour, retryAfterSeconds);
      }
    },
  };
}

/** One count shared by every instance through Redis (`INCR` on a per-hour key). */
export function redisRegistrationThrottle(
  options: RegistrationThrottleOptions & { redis: Redis; keyPrefix: string },
): RegistrationThrottle {
  const clock = options.now ?? Date.now;
  return {
    async hit(address) {
      const { hour, retryAfterSeconds } = window(clock());
      const key = `${options.keyPrefix}${address}:${hour}`;
      const results = await options.redis.multi().incr(key).expire(key, 7200).exec();
      const count = Number(results?.[0]?.[1] ?? 0);
      if (count > options.perHour) {
        throw new RegistrationThrottledError(options.perHour, retryAfterSeconds);
      }
    },
  };
}
