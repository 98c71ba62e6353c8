import { KeelError } from '@keel/errors';
import type { CostResult } from '../cost/cost-result.ts';
import type { TokenUsage } from '../call/token-usage.ts';

/** Facts about a call the caller aborted. */
export interface CallAbortedErrorDetails {
  /** The model the call was on. */
  model: string;
  /** The text received before the abort (streams only). */
  partialText: string;
  /** Tokens spent before the abort (partial). */
  usage: TokenUsage | undefined;
}

/** The caller's AbortSignal fired. What was already spent is recorded and carried here. */
export class CallAbortedError extends KeelError<CallAbortedErrorDetails, 'call_aborted'> {
  /** The cost of what was spent before the abort, when any response had started. */
  readonly cost: CostResult | undefined;

  constructor(details: CallAbortedErrorDetails, cost: CostResult | undefined, cause: unknown) {
    super('call_aborted', `The call to ${details.model} was aborted`, details, { cause });
    this.cost = cost;
  }
}
