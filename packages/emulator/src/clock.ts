/** A source of time the emulator reads instead of Date.now(), so tests can move it forward. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The wall clock, plus an offset that `advance` grows: expiry can be tested without waiting. */
export class AdjustableClock implements Clock {
  #offsetMs = 0;
  constructor(private readonly base: () => number = Date.now) {}

  now(): number {
    return this.base() + this.#offsetMs;
  }

  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError('advance() takes a non-negative number');
    this.#offsetMs += ms;
  }
}
