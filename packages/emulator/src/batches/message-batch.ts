import type { ApiErrorType } from '../http/api-error.ts';
import type { MessageResponse } from '../messages/response-types.ts';

/** Where a batch is in its life, as the API reports it. */
export type BatchProcessingStatus = 'in_progress' | 'canceling' | 'ended';

/** Tallies of a batch's requests; everything but `processing` stays zero until the batch ends. */
export interface BatchRequestCounts {
  /** Requests not yet finished (all of them until the batch ends). */
  processing: number;
  /** Requests that produced a message. */
  succeeded: number;
  /** Requests that failed (invalid params, unknown model, …). */
  errored: number;
  /** Requests dropped because the batch was canceled first. */
  canceled: number;
  /** Requests dropped because the batch passed `expires_at` first. */
  expired: number;
}

/** A Message Batch in the API's shape (the SDK's `MessageBatch`). */
export interface MessageBatch {
  /** `msgbatch_…` */
  id: string;
  /** Always `message_batch`. */
  type: 'message_batch';
  /** Processing status. */
  processing_status: BatchProcessingStatus;
  /** Request tallies. */
  request_counts: BatchRequestCounts;
  /** RFC 3339 creation time. */
  created_at: string;
  /** RFC 3339: 24 hours after creation. */
  expires_at: string;
  /** RFC 3339 end of processing, or null while processing. */
  ended_at: string | null;
  /** RFC 3339 time `cancel` was called, or null. */
  cancel_initiated_at: string | null;
  /** The emulator never archives batches, so always null. */
  archived_at: null;
  /** Absolute URL of the JSONL results once ended, else null. */
  results_url: string | null;
}

/** The body of `DELETE /v1/messages/batches/{id}`. */
export interface DeletedMessageBatch {
  /** The deleted batch's id. */
  id: string;
  /** Always `message_batch_deleted`. */
  type: 'message_batch_deleted';
}

/** One request's outcome, a line of the results file. */
export type BatchResult =
  | { type: 'succeeded'; message: MessageResponse }
  | {
      type: 'errored';
      error: {
        type: 'error';
        error: { type: ApiErrorType; message: string };
        request_id: string | null;
      };
    }
  | { type: 'canceled' }
  | { type: 'expired' };

/** One line of the results JSONL file (the SDK's `MessageBatchIndividualResponse`). */
export interface BatchResultLine {
  /** The caller's id for the request. */
  custom_id: string;
  /** What became of it. */
  result: BatchResult;
}
