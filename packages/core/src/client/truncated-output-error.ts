import { KeelError } from '@keel/errors';
import type { CallResult } from './call-result.ts';

/** Facts about a truncated response. */
export interface TruncatedOutputErrorDetails {
  /** The model that served the call. */
  model: string;
  /** The request's `max_tokens`. */
  maxTokens: number;
  /** Output tokens produced (equal to the limit). */
  outputTokens: number;
  /** The server's request id. */
  requestId: string | undefined;
}

/**
 * The model stopped at `max_tokens`. Raised when the truncation policy is `error` (the default):
 * a cut-off answer cannot pass for a complete one. `result` holds the full call result.
 */
export class TruncatedOutputError extends KeelError<TruncatedOutputErrorDetails> {
  /** The complete result of the call (message, usage, cost), for callers that can use partial output. */
  readonly result: CallResult;

  constructor(result: CallResult, maxTokens: number) {
    super(
      'output_truncated',
      `The response from ${result.modelServed} was cut off at max_tokens (${maxTokens})`,
      {
        model: result.modelServed,
        maxTokens,
        outputTokens: result.usage.output,
        requestId: result.requestId,
      },
    );
    this.result = result;
  }
}
