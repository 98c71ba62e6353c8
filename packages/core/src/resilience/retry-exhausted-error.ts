import { KeelError } from '@keel/errors';
import type { AttemptRecord } from './attempt-record.ts';
import type { FailureKind } from './classify-failure.ts';

/** Facts about a call that kept failing. */
export interface RetryExhaustedErrorDetails {
  /** Every attempt, in order. */
  attempts: AttemptRecord[];
  /** The models that were tried (or skipped with an open circuit), in order. */
  models: string[];
  /** The kind of the last failure. */
  lastFailure: FailureKind;
  /** HTTP status of the last failure, when the server answered. */
  lastStatus: number | undefined;
  /** Request id of the last failure. */
  lastRequestId: string | undefined;
}

/** Every retry (and every fallback model) failed with a retryable error. The last SDK error is `cause`. */
export class RetryExhaustedError extends KeelError<RetryExhaustedErrorDetails, 'retry_exhausted'> {
  constructor(details: RetryExhaustedErrorDetails, cause: unknown) {
    super(
      'retry_exhausted',
      `Claude call failed after ${details.attempts.length} attempts on ${details.models.join(', ')} (last: ${details.lastStatus ?? details.lastFailure})`,
      details,
      { cause },
    );
  }
}
