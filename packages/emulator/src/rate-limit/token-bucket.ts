/**
 * A token bucket that refills continuously: `capacity` tokens per minute, added smoothly rather
 * than reset at minute boundaries, as the real API describes its limits. The level may go below
 * zero (output is charged after it is produced), which simply delays the next admission.
 */
export class TokenBucket {
  #level: number;
  #updatedAt: number;

  constructor(
    /** Tokens per minute; also the most the bucket holds. */
    readonly capacity: number,
    now: number,
  ) {
    this.#level = capacity;
    this.#updatedAt = now;
  }

  /** Tokens refilled per millisecond. */
  get ratePerMs(): number {
    return this.capacity / 60_000;
  }

  /** The current level after refilling up to `now`. */
  level(now: number): number {
    if (now > this.#updatedAt) {
      this.#level = Math.min(this.capacity, this.#level + (now - this.#updatedAt) * this.ratePerMs);
      this.#updatedAt = now;
    }
    return this.#level;
  }

  /** Removes `amount` tokens (the level may go negative). */
  take(amount: number, now: number): void {
    this.level(now);
    this.#level -= amount;
  }

  /** Milliseconds until the level reaches `amount` (capped at a full bucket); 0 if already there. */
  msUntil(amount: number, now: number): number {
    const target = Math.min(amount, this.capacity);
    const missing = target - this.level(now);
    return missing <= 0 ? 0 : missing / this.ratePerMs;
  }

  /** Milliseconds until the bucket is full again. */
  msUntilFull(now: number): number {
    return this.msUntil(this.capacity, now);
  }
}
