/** How long to wait before a retry when the server gave no retry-after. */
export interface BackoffOptions {
  /** Delay before the first retry, ms. Default 500. */
  initialDelayMs?: number;
  /** Upper bound for one delay, ms. Default 8000. */
  maxDelayMs?: number;
  /** Fraction of the delay removed at random (0..1), so clients do not retry in lockstep. Default 0.25. */
  jitter?: number;
}

/**
 * Exponential backoff with jitter: `min(initial * 2^retry, max) * (1 - random * jitter)`.
 * `retry` is 0 for the first retry. `random` returns a number in [0, 1).
 */
export function backoffDelay(retry: number, options: BackoffOptions, random: () => number): number {
  const initial = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 8_000;
  const jitter = options.jitter ?? 0.25;
  const base = Math.min(initial * 2 ** retry, max);
  return Math.round(base * (1 - random() * jitter));
}
