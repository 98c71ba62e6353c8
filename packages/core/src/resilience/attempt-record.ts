import type { FailureKind } from './classify-failure.ts';

/** One attempt of a call: which model, how it ended, how long it took, how long we waited after. */
export interface AttemptRecord {
  /** The model this attempt went to. */
  model: string;
  /** `success`, the failure kind, or `circuit_open` when the breaker refused the model. */
  outcome: 'success' | 'circuit_open' | FailureKind;
  /** HTTP status of a failed attempt, when the server answered. */
  status?: number;
  /** The server's request id, when known. */
  requestId?: string;
  /** Time spent on the attempt, ms. */
  durationMs: number;
  /** Wait before the next attempt, ms (retry-after or backoff). */
  delayMs?: number;
}
