import { KeelError } from '@keel/errors';

/** A login refused because its account or address failed too often; the right password too. */
export class LoginThrottledError extends KeelError<{ retryAfterSeconds: number }> {
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

interface Failures {
  count: number;
  lastMs: number;
  lockedUntilMs: number;
}

/**
 * Exponential backoff on failed logins, per key (an account, an address). One process's memory:
 * with several processes each keeps its own count, so an attacker gets at most that many times
 * the attempts.
 */
export class LoginThrottle {
  readonly #failures = new Map<string, Failures>();
  readonly #freeFailures: number;
  readonly #baseLockMs: number;
  readonly #maxLockMs: number;
  readonly #forgetAfterMs: number;
  readonly #now: () => number;

  constructor(options: LoginThrottleOptions = {}) {
    this.#freeFailures = options.freeFailures ?? 5;
    this.#baseLockMs = options.baseLockMs ?? 1000;
    this.#maxLockMs = options.maxLockMs ?? 15 * 60_000;
    this.#forgetAfterMs = options.forgetAfterMs ?? 3600_000;
    this.#now = options.now ?? Date.now;
  }

  /** Throws LoginThrottledError while any of the keys is locked; call before checking a password. */
  check(keys: readonly string[]): void {
    const now = this.#now();
    let until = 0;
    for (const key of keys) until = Math.max(until, this.#current(key, now)?.lockedUntilMs ?? 0);
    if (until > now) throw new LoginThrottledError(Math.max(1, Math.ceil((until - now) / 1000)));
  }

  /** Counts a failed login against each key, locking those past their free failures. */
  fail(keys: readonly string[]): void {
    const now = this.#now();
    for (const key of keys) {
      const entry = this.#current(key, now) ?? { count: 0, lastMs: now, lockedUntilMs: 0 };
      entry.count += 1;
      entry.lastMs = now;
      const over = entry.count - this.#freeFailures;
      if (over > 0) {
        entry.lockedUntilMs = now + Math.min(this.#maxLockMs, this.#baseLockMs * 2 ** (over - 1));
      }
      this.#failures.set(key, entry);
    }
    if (this.#failures.size > 100_000) {
      for (const [key, entry] of this.#failures) {
        if (now - entry.lastMs > this.#forgetAfterMs && entry.lockedUntilMs <= now) {
          this.#failures.delete(key);
        }
      }
    }
  }

  /** Forgets the failures of a key after a successful login. */
  succeed(key: string): void {
    this.#failures.delete(key);
  }

  #current(key: string, now: number): Failures | undefined {
    const entry = this.#failures.get(key);
    if (entry && now - entry.lastMs > this.#forgetAfterMs && entry.lockedUntilMs <= now) {
      this.#failures.delete(key);
      return undefined;
    }
    return entry;
  }
}
