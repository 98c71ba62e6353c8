import { KeelError } from '@keel/errors';
import type { StopReason } from '@anthropic-ai/sdk/resources/messages/messages';
import type { CallResult } from '../call/call-result.ts';
import { truncationCause } from './truncation-stop.ts';

/** Facts about a truncated response. */
export interface TruncatedOutputErrorDetails {
  /** The model that served the call. */
  model: string;
  /** The request's `max_tokens`. */
  maxTokens: number;
  /** Output tokens produced. */
  outputTokens: number;
  /** `max_tokens`, or `model_context_window_exceeded` when the context window filled up. */
  stopReason: StopReason | null;
  /** The server's request id. */
  requestId: string | undefined;
}

/**
 * The answer was cut off: the model stopped at `max_tokens`, or filled its context window
 * (`model_context_window_exceeded`; `details.stopReason` says which). Raised when the truncation policy is `error` (the default):
 * a cut-off answer cannot pass for a complete one. `result` holds the full call result.
 */
export class TruncatedOutputError extends KeelError<
  TruncatedOutputErrorDetails,
  'output_truncated'
> {
  /** The complete result of the call (message, usage, cost), for callers that can use partial output. */
  readonly result: CallResult;

  constructor(result: CallResult, maxTokens: number) {
    super(
      'output_truncated',
      `The response from ${result.modelServed} was cut off ${truncationCause(result.stopReason, maxTokens)}`,
      {
        model: result.modelServed,
        maxTokens,
        outputTokens: result.usage.output,
        stopReason: result.stopReason,
        requestId: result.requestId,
      },
    );
    this.result = result;
  }
}
