import type { CallTags } from './call-tags.ts';

/**
 * A call about to be sent, as handed to recorders that implement `CallRecorder.started`. The
 * finished call's `CallRecord` carries the same `id`.
 */
export interface CallStart {
  /** The call's id (time-ordered), repeated on its `CallRecord`. */
  id: string;
  /** When the call started, ms since the epoch. */
  startedAt: number;
  /** The model asked for (after routing). */
  modelRequested: string;
  /** The models the call may use: the requested one, then its fallbacks. */
  models: readonly string[];
  /** Whether the call streams. */
  stream: boolean;
  /** The call's tags. */
  tags: CallTags;
  /** The routed task. */
  task?: string;
  /** The budget reservation held for the call, when the client has budgets. */
  reservationId?: string;
  /** The request's estimated input tokens. */
  estimatedInputTokens: number;
  /** The request's `max_tokens`. */
  maxOutputTokens: number;
  /** The request's `inference_geo`, when set. */
  inferenceGeo?: string | null;
  /** When the call ends at the latest (its total timeout), ms since the epoch; absent when unbounded. */
  deadlineAt?: number;
}
