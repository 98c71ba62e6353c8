import { KeelError } from '@keel/errors';

/** Facts about a call that ran out of time. */
export interface CallTimeoutErrorDetails {
  /** The call's total time allowance, ms. */
  timeoutMs: number;
  /** Attempts started before time ran out. */
  attempts: number;
}

/** The call's total timeout (`totalTimeoutMs`) elapsed, across all retries. */
export class CallTimeoutError extends KeelError<CallTimeoutErrorDetails, 'call_timeout'> {
  constructor(details: CallTimeoutErrorDetails, cause?: unknown) {
    super('call_timeout', `Claude call timed out after ${details.timeoutMs} ms`, details, {
      cause,
    });
  }
}
