import { KeelError } from '@keel/errors';
import type { Redis } from 'ioredis';

/** A login refused because its account or address failed too often; the right password too. */
export class LoginThrottledError extends KeelError<
  { retryAfterSeconds: number },
  'login_throttled'
> {
  constructor(retryAfterSeconds: number) {
    super('login_throttled', `Too many failed sign-ins. Try again in ${retryAfterSeconds} s.`, {
      retryAfterSeconds,
    });
  }
}

export interface LoginThrottleOptions {
  /** Failures a key may have before it is locked. Default 5. */
  freeFailures?: number;
  /** The first lock, ms; each further failure doubles it. Default 1 s. */
  baseLockMs?: number;
  /** The longest lock, ms, so the owner can always get back in. Default 15 minutes. */
  maxLockMs?: number;
  /** Failures older than this (since the last one) are forgotten, ms. Default 1 hour. */
  forgetAfterMs?: number;
  /** Milliseconds since the epoch. Default Date.now. */
  now?: () => number;
}

/**
 * Exponential backoff on failed logins, per key (an account, an address): after the free
 * failures each further one locks the key for twice as long, up to a cap the owner can wait out.
 */
export interface LoginThrottle {
  /** Throws LoginThrottledError while any of the keys is locked; call before checking a password. */
  check(keys: readonly string[]): Promise<void>;
  /** Counts a failed login against each key, locking those past their free failures. */
  fail(keys: readonly string[]): Promise<void>;
  /** Forgets the failures of a key after a successful login. */
  succeed(key: string): Promise<void>;
}

interface Failures {
  count: number;
  lastMs: number;
  lockedUntilMs: number;
}

function settings(options: LoginThrottleOptions) {
  return {
    freeFailures: options.freeFailures ?? 5,
    baseLockMs: options.baseLockMs ?? 1000,
    maxLockMs: options.maxLockMs ?? 15 * 60_000,
    forgetAfterMs: options.forgetAfterMs ?? 3600_000,
    now: options.now ?? Date.now,
  };
}

function throwIfLocked(untilMs: number, now: number): void {
  if (untilMs > now) throw new LoginThrottledError(Math.max(1, Math.ceil((untilMs - now) / 1000)));
}

/** One process's throttle: with several processes each keeps its own count. */
export function memoryLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const { freeFailures, baseLockMs, maxLockMs, forgetAfterMs, now: clock } = settings(options);
  const failures = new Map<string, Failures>();
  const current = (key: string, now: number): Failures | undefined => {
    const entry = failures.get(key);
    if (entry && now - entry.lastMs > forgetAfterMs && entry.lockedUntilMs <= now) {
      failures.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    async check(keys) {
      const now = clock();
      let until = 0;
      for (const key of keys) until = Math.max(until, current(key, now)?.lockedUntilMs ?? 0);
      throwIfLocked(until, now);
    },
    async fail(keys) {
      const now = clock();
      for (const key of keys) {
        const entry = current(key, now) ?? { count: 0, lastMs: now, lockedUntilMs: 0 };
        entry.count += 1;
        entry.lastMs = now;
        const over = entry.count - freeFailures;
        if (over > 0) {
          entry.lockedUntilMs = now + Math.min(maxLockMs, baseLockMs * 2 ** (over - 1));
        }
        failures.set(key, entry);
      }
      if (failures.size > 100_000) {
        for (const [key, entry] of failures) {
          if (now - entry.lastMs > forgetAfterMs && entry.lockedUntilMs <= now) {
            failures.delete(key);
          }
        }
      }
    },
    async succeed(key) {
      failures.delete(key);
    },
  };
}

// The memory throttle's `fail`, as one atomic step on a hash. The key expires once its failures
// would be forgotten anyway; `now` comes from the caller, so every instance judges by its clock.
const failScript = `
local now = tonumber(ARGV[1])
local free = tonumber(ARGV[2])
local base = tonumber(ARGV[3])
local maxLock = tonumber(ARGV[4])
local forget = tonumber(ARGV[5])
local state = redis.call('HMGET', KEYS[1], 'count', 'lastMs', 'lockedUntilMs')
local count = tonumber(state[1]) or 0
local last = tonumber(state[2]) or now
local locked = tonumber(state[3]) or 0
if now - last > forget and locked <= now then
  count = 0
  locked = 0
end
count = count + 1
if count > free then
  locked = now + math.min(maxLock, base * 2 ^ (count - free - 1))
end
redis.call('HSET', KEYS[1], 'count', count, 'lastMs', string.format('%.0f', now),
  'lockedUntilMs', string.format('%.0f', locked))
redis.call('PEXPIRE', KEYS[1], math.floor(math.max(forget, locked - now) + 1000))
return count
`;

/**
 * A throttle shared by every instance through Redis, so several instances enforce one count: the
 * sixth failure counts as the sixth wherever it lands.
 */
export function redisLoginThrottle(
  options: LoginThrottleOptions & { redis: Redis; keyPrefix: string },
): LoginThrottle {
  const { freeFailures, baseLockMs, maxLockMs, forgetAfterMs, now: clock } = settings(options);
  const { redis } = options;
  const redisKey = (key: string) => `${options.keyPrefix}${key}`;
  return {
    async check(keys) {
      const now = clock();
      let until = 0;
      for (const key of keys) {
        until = Math.max(until, Number((await redis.hget(redisKey(key), 'lockedUntilMs')) ?? 0));
      }
      throwIfLocked(until, now);
    },
    async fail(keys) {
      const now = clock();
      for (const key of keys) {
        await redis.eval(
          failScript,
          1,
          redisKey(key),
          now,
          freeFailures,
          baseLockMs,
          maxLockMs,
          forgetAfterMs,
        );
      }
    },
    async succeed(key) {
      await redis.del(redisKey(key));
    },
  };
}
