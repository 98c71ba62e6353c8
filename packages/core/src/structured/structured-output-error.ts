import { KeelError, type KeelErrorCode } from '@keel/errors';

/** Why no typed object could be produced. */
export type StructuredOutputFailure =
  /** The answer was cut off (max_tokens or model_context_window_exceeded); a partial object is never accepted. */
  | 'truncated'
  /** The answer failed validation, and so did the one repair attempt. */
  | 'invalid'
  /** The model refused to answer. */
  | 'refused'
  /** The model never gave an answer (it stopped without one, or the run hit a cap). */
  | 'missing'
  /** The run was aborted. */
  | 'aborted';

/** Facts about a failed structured-output call. */
export interface StructuredOutputErrorDetails {
  failure: StructuredOutputFailure;
  /** The model asked. */
  model: string;
  /** `native` (output_config.format) or `tool` (a forced answer tool). */
  mode: 'native' | 'tool';
  /** The last response's stop reason. */
  stopReason: string | null;
  /** Validation problems, one per line (`age: Too small: expected number to be >=0`). */
  issues: string[];
  /** The raw answer text or tool input, when there was one. */
  rawOutput?: string;
  /** True when a repair attempt was made. */
  repairAttempted: boolean;
}

const codes: Record<StructuredOutputFailure, KeelErrorCode> = {
  truncated: 'structured_output_truncated',
  invalid: 'structured_output_invalid',
  refused: 'structured_output_refused',
  missing: 'structured_output_missing',
  aborted: 'structured_output_aborted',
};

/** A structured-output call that produced no valid object. `code` names the failure. */
export class StructuredOutputError extends KeelError<StructuredOutputErrorDetails> {
  constructor(details: StructuredOutputErrorDetails, message: string) {
    super(codes[details.failure], message, details);
  }
}
