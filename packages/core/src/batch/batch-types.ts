import type { SamplingParameters } from '../call/sampling-parameters.ts';
import type {
  Message,
  MessageCreateParamsNonStreaming,
} from '@anthropic-ai/sdk/resources/messages/messages';
import type { CostJson } from '../cost/cost-json.ts';

/** One request of a batch. */
export interface BatchRequest {
  /** Your id for the request (1-64 of `[A-Za-z0-9_-]`); results are mapped back by it. */
  customId: string;
  /**
   * The Messages request, as `messages.create` takes it (without `stream`). Sampling fields are
   * sent only where the client's API version and the model accept them.
   */
  params: Omit<MessageCreateParamsNonStreaming, 'stream'> & SamplingParameters;
}

/** How a request ended. */
export type BatchResultStatus = 'succeeded' | 'errored' | 'canceled' | 'expired';

/** One request's result, mapped back to its input. */
export interface BatchItemResult {
  /** The request's custom id. */
  customId: string;
  /** The request as submitted. */
  request: BatchRequest;
  /** How it ended (after retries). */
  status: BatchResultStatus;
  /** The message, when it succeeded. */
  message?: Message;
  /** The API error type and message, when it errored. */
  error?: { type: string; message: string };
  /** The cost at the batch discount, when it succeeded. */
  cost?: CostJson;
  /** The batch that produced this result. */
  batchId: string;
  /** How many batches this request was submitted in (1 = no retry). */
  attempts: number;
}

/** Counts of one batch while it runs. */
export interface BatchProgress {
  /** The job (input hash or the id you gave). */
  jobId: string;
  /** The batch being polled. */
  batchId: string;
  /** 0 for the first submission, 1 for the first retry of errored requests, ... */
  round: number;
  /** Requests in this batch. */
  total: number;
  /** Still processing. */
  processing: number;
  /** Succeeded so far. */
  succeeded: number;
  /** Errored so far. */
  errored: number;
  /** Canceled or expired so far. */
  other: number;
  /** Since the run started, ms. */
  elapsedMs: number;
  /** True when the batch was found already submitted (a resumed run). */
  resumed: boolean;
}
