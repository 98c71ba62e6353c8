import { KeelError, type ClaudeErrorCode } from '@keel/errors';
import type { Failure, FailureKind } from './classify-failure.ts';

/** Facts about an API failure that was not retried (or could not be). */
export interface ClaudeApiErrorDetails {
  /** How the failure was classified. */
  kind: FailureKind;
  /** HTTP status, when the server answered. */
  status: number | undefined;
  /** The API's `error.type`, e.g. `invalid_request_error`. */
  errorType: string | undefined;
  /** The server's request id, for support tickets. */
  requestId: string | undefined;
  /** The model the request went to. */
  model: string;
}

/**
 * An error from the Claude API (or the connection to it), with the SDK error as `cause`. Its code
 * is `claude_<kind>` (`claude_overloaded`, `claude_client_error`, ...), one per failure kind.
 */
export class ClaudeApiError extends KeelError<ClaudeApiErrorDetails, ClaudeErrorCode> {
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** The server's request id. */
  readonly requestId: string | undefined;

  constructor(failure: Failure, model: string) {
    const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
    super(
      `claude_${failure.kind}`,
      `Claude API call to ${model} failed (${failure.status ?? failure.kind}): ${reason}`,
      {
        kind: failure.kind,
        status: failure.status,
        errorType: failure.errorType,
        requestId: failure.requestId,
        model,
      },
      { cause: failure.error },
    );
    this.status = failure.status;
    this.requestId = failure.requestId;
  }
}
