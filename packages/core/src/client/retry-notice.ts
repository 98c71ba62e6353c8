import type { FailureKind } from '../resilience/classify-failure.ts';

/** What `CallOptions.onRetry` is told before the client tries again. */
export interface RetryNotice {
  /** 1 for the first retry of the call, 2 for the second, ... */
  attempt: number;
  /** The model whose attempt failed. */
  model: string;
  /** Why it failed. */
  reason: FailureKind;
  /** The HTTP status, when there was one. */
  status?: number;
  /** How long the client waits before the next attempt, ms (0 when it moves to a fallback). */
  delayMs: number;
  /** The failed response's request id, when there was one. */
  requestId?: string;
}
