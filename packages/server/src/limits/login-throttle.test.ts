import { describe, expect, it } from 'vitest';
import { LoginThrottle, LoginThrottledError } from './login-throttle.ts';

describe('LoginThrottle', () => {
  it('locks after the free failures, doubles the lock, and lets the owner back in once it passes', () => {
    let now = 0;
    const throttle = new LoginThrottle({ freeFailures: 3, baseLockMs: 1000, now: () => now });
    for (let failure = 0; failure < 3; failure++) {
      throttle.check(['alice']);
      throttle.fail(['alice']);
    }
    throttle.check(['alice']); // three failures are free
    throttle.fail(['alice']);
    expect(() => throttle.check(['alice'])).toThrow(LoginThrottledError);
    expect(() => throttle.check(['bob'])).not.toThrow();

    now += 1000;
    throttle.check(['alice']);
    throttle.fail(['alice']);
    now += 1999;
    expect(() => throttle.check(['alice'])).toThrow(
      expect.objectContaining({ details: { retryAfterSeconds: 1 } }),
    );
    now += 1;
    throttle.check(['alice']);
    throttle.succeed('alice');
    for (let failure = 0; failure < 3; failure++) throttle.fail(['alice']);
    expect(() => throttle.check(['alice'])).not.toThrow();
  });

  it('caps the lock, so a long attack never locks the owner out for longer than the cap', () => {
    let now = 0;
    const throttle = new LoginThrottle({ freeFailures: 1, maxLockMs: 60_000, now: () => now });
    for (let failure = 0; failure < 200; failure++) throttle.fail(['alice']);
    now += 59_999;
    expect(() => throttle.check(['alice'])).toThrow(LoginThrottledError);
    now += 1;
    expect(() => throttle.check(['alice'])).not.toThrow();
  });
});
