import { KeelError } from '@keel/errors';

/** Too many registrations from one address this hour. */
export class RegistrationThrottledError extends KeelError<{
  limit: number;
  retryAfterSeconds: number;
}> {
  constructor(limit: number, retryAfterSeconds: number) {
    super(
      'registration_throttled',
      `Too many new accounts from this address (the limit is ${limit} an hour). Try again in ${retryAfterSeconds} s, or sign in to an account you have`,
      { limit, retryAfterSeconds },
    );
  }
}

/** Options of {@link RegistrationThrottle}. */
export interface RegistrationThrottleOptions {
  /** Registration attempts per address per hour. */
  perHour: number;
  /** Milliseconds since the epoch. Default Date.now. */
  now?: () => number;
}

/**
 * Registration attempts per client address in fixed one-hour windows, so one machine cannot mint
 * accounts (and with them fresh per-user budgets and rate limits) in bulk. One process's memory,
 * like the login throttle; the global daily budget bounds what many addresses together can spend.
 */
export class RegistrationThrottle {
  readonly #counts = new Map<string, { hour: number; count: number }>();
  readonly #perHour: number;
  readonly #now: () => number;

  constructor(options: RegistrationThrottleOptions) {
    this.#perHour = options.perHour;
    this.#now = options.now ?? Date.now;
  }

  /** Counts one attempt; throws RegistrationThrottledError once the address is over its limit. */
  hit(address: string): void {
    const now = this.#now();
    const hour = Math.floor(now / 3600_000);
    const entry = this.#counts.get(address);
    if (!entry || entry.hour !== hour) {
      this.#counts.set(address, { hour, count: 1 });
      if (this.#counts.size > 100_000) {
        for (const [key, value] of this.#counts) if (value.hour !== hour) this.#counts.delete(key);
      }
      return;
    }
    entry.count += 1;
    if (entry.count > this.#perHour) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((hour + 1) * 3600_000 - now) / 1000));
      throw new RegistrationThrottledError(this.#perHour, retryAfterSeconds);
    }
  }
}
