import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LoginThrottledError,
  memoryLoginThrottle,
  redisLoginThrottle,
  type LoginThrottle,
  type LoginThrottleOptions,
} from './login-throttle.ts';

const redisUrl = process.env.KEEL_TEST_REDIS_URL;
const prefix = `keel_test_${randomBytes(6).toString('hex')}:`;
const redis = redisUrl ? new Redis(redisUrl) : undefined;

afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

let run = 0;
type Create = (options: LoginThrottleOptions) => LoginThrottle;
const kinds: Array<[string, Create]> = [['in memory', memoryLoginThrottle]];
if (redis) {
  // A fresh key space per throttle, as a fresh memory throttle has.
  kinds.push([
    'in Redis',
    (options) => redisLoginThrottle({ ...options, redis, keyPrefix: `${prefix}${++run}:` }),
  ]);
}

describe.each(kinds)('LoginThrottle %s', (_kind, create) => {
  it('locks after the free failures, doubles the lock, and lets the owner back in once it passes', async () => {
    let now = 0;
    const throttle = create({ freeFailures: 3, baseLockMs: 1000, now: () => now });
    for (let failure = 0; failure < 3; failure++) {
      await throttle.check(['alice']);
      await throttle.fail(['alice']);
    }
    await throttle.check(['alice']); // three failures are free
    await throttle.fail(['alice']);
    await expect(throttle.check(['alice'])).rejects.toThrow(LoginThrottledError);
    await expect(throttle.check(['bob'])).resolves.toBeUndefined();
    // Any locked key of the ones given refuses the login.
    await expect(throttle.check(['bob', 'alice'])).rejects.toThrow(LoginThrottledError);

    now += 1000;
    await throttle.check(['alice']);
    await throttle.fail(['alice']);
    now += 1999;
    await expect(throttle.check(['alice'])).rejects.toThrow(
      expect.objectContaining({ details: { retryAfterSeconds: 1 } }),
    );
    now += 1;
    await throttle.check(['alice']);
    await throttle.succeed('alice');
    for (let failure = 0; failure < 3; failure++) await throttle.fail(['alice']);
    await expect(throttle.check(['alice'])).resolves.toBeUndefined();
  });

  it('caps the lock, so a long attack never locks the owner out for longer than the cap', async () => {
    let now = 0;
    const throttle = create({ freeFailures: 1, maxLockMs: 60_000, now: () => now });
    for (let failure = 0; failure < 200; failure++) await throttle.fail(['alice']);
    now += 59_999;
    await expect(throttle.check(['alice'])).rejects.toThrow(LoginThrottledError);
    now += 1;
    await expect(throttle.check(['alice'])).resolves.toBeUndefined();
  });

  it('forgets failures an hour after the last one, so old mistakes do not add up', async () => {
    let now = 0;
    const throttle = create({ freeFailures: 2, forgetAfterMs: 3600_000, now: () => now });
    await throttle.fail(['alice']);
    await throttle.fail(['alice']);
    now += 3600_001;
    await throttle.fail(['alice']);
    await expect(throttle.check(['alice'])).resolves.toBeUndefined();
    await throttle.fail(['alice']);
    await throttle.fail(['alice']);
    await expect(throttle.check(['alice'])).rejects.toThrow(LoginThrottledError);
  });
});

describe.skipIf(!redis)('LoginThrottle in Redis, shared by two instances', () => {
  it('counts failures on either instance as one count', async () => {
    const keyPrefix = `${prefix}shared:`;
    const first = redisLoginThrottle({ redis: redis!, keyPrefix, freeFailures: 5 });
    const second = redisLoginThrottle({ redis: redis!, keyPrefix, freeFailures: 5 });
    for (let failure = 0; failure < 5; failure++) await first.fail(['alice@example.com']);
    await expect(second.check(['alice@example.com'])).resolves.toBeUndefined();
    // The sixth failure, on the other instance, locks the account on both.
    await second.fail(['alice@example.com']);
    await expect(first.check(['alice@example.com'])).rejects.toThrow(LoginThrottledError);
    await expect(second.check(['alice@example.com'])).rejects.toThrow(LoginThrottledError);
    // A success on one instance clears the account's count for both.
    await first.succeed('alice@example.com');
    await expect(second.check(['alice@example.com'])).resolves.toBeUndefined();
  });
});
