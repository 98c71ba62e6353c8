import type { Clock } from '../clock.ts';
import { ApiError, invalidRequest } from '../http/api-error.ts';
import type { ApiVersion } from '../http/api-version.ts';
import type { IdGenerator } from '../ids.ts';
import type { MessageResponse } from '../messages/response-types.ts';
import { SeededRandom } from '../seeded-random.ts';
import type { BatchRequest } from './batch-request-schema.ts';
import type {
  BatchProcessingStatus,
  BatchRequestCounts,
  BatchResult,
  MessageBatch,
} from './message-batch.ts';

/**
 * What a batch's requests are validated under: the headers of its create call ("each request in
 * a Message Batch created with 2026-10-21" follows that version's rules,
 * https://platform.claude.com/docs/en/api/migration-2026-10-21).
 */
export interface BatchCreateContext {
  /** The create call's `anthropic-version`. */
  apiVersion?: ApiVersion;
  /** The create call's `anthropic-beta` names. */
  betas?: readonly string[];
}

/** Turns one request's params into a message, or throws an `ApiError` (an `errored` line). */
export type BatchItemProcessor = (
  params: Record<string, unknown>,
  apiKey: string,
  context: BatchCreateContext,
) => MessageResponse;

export interface BatchStoreOptions {
  /** The emulator's clock: creation, due and expiry times are read from it. */
  clock: Clock;
  /** Id source for `msgbatch_…` ids. */
  ids: IdGenerator;
  /** How long (by `clock`) after creation a batch starts processing. 0 = on the next tick. */
  processingDelayMs: number;
  /** Produces each request's message. */
  process: BatchItemProcessor;
  /** Requests processed between yields to the event loop, so big batches do not stall serving. */
  sliceSize?: number;
  /**
   * Order of the results file. `shuffled` (default) as the API: "Results in the file are not
   * guaranteed to be in the same order as requests" (the SDK's `MessageBatch.results_url`), so
   * code that matches lines by position fails offline too; `request` keeps request order.
   */
  resultOrder?: 'shuffled' | 'request';
  /** Seed of the shuffle: the same seed and the same batches give the same orders. Default 1. */
  seed?: number;
}

const dayMs = 24 * 60 * 60 * 1000;

interface BatchRecord {
  id: string;
  apiKey: string;
  /** The create call's version and betas, for validating each request. */
  context: BatchCreateContext;
  /** Creation order, to list newest first even within one millisecond. */
  sequence: number;
  createdAt: number;
  expiresAt: number;
  dueAt: number;
  customIds: string[];
  /** Params still to process; each slot is released once its result exists. */
  pending: Array<Record<string, unknown> | undefined>;
  results: Array<BatchResult | undefined>;
  /** Request indexes in the order the results file lists them (set when the batch ends). */
  order: number[];
  /** Index of the next request to process. */
  next: number;
  status: BatchProcessingStatus;
  running: boolean;
  cancelInitiatedAt: number | null;
  endedAt: number | null;
  timer?: NodeJS.Timeout;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Message Batches, per API key, processed asynchronously against the emulator's clock: a batch
 * starts once `processingDelayMs` has passed, and one still unfinished at `expires_at` (created +
 * 24 h, reachable by advancing the clock) ends with `expired` results.
 */
export class BatchStore {
  readonly #options: BatchStoreOptions;
  readonly #batches = new Map<string, BatchRecord>();
  #sequence = 0;

  constructor(options: BatchStoreOptions) {
    this.#options = options;
  }

  /** Registers a validated batch and schedules its processing. */
  create(
    apiKey: string,
    requests: BatchRequest[],
    context: BatchCreateContext = {},
  ): MessageBatchView {
    const now = this.#options.clock.now();
    const record: BatchRecord = {
      id: this.#options.ids.next('msgbatch'),
      apiKey,
      context,
      sequence: this.#sequence++,
      createdAt: now,
      expiresAt: now + dayMs,
      dueAt: now + this.#options.processingDelayMs,
      customIds: requests.map((request) => request.custom_id),
      pending: requests.map((request) => request.params),
      results: new Array<BatchResult | undefined>(requests.length),
      order: [],
      next: 0,
      status: 'in_progress',
      running: false,
      cancelInitiatedAt: null,
      endedAt: null,
    };
    this.#batches.set(record.id, record);
    record.timer = setTimeout(() => this.settle(), this.#options.processingDelayMs);
    record.timer.unref();
    return new MessageBatchView(record);
  }

  /** The batch with this id, if this key owns it; otherwise a 404 like the API's. */
  get(apiKey: string, id: string): MessageBatchView {
    this.settle();
    const record = this.#batches.get(id);
    if (!record || record.apiKey !== apiKey) {
      throw new ApiError('not_found_error', `message batch not found: ${id}`);
    }
    return new MessageBatchView(record);
  }

  /** This key's batches, most recently created first. */
  list(apiKey: string): MessageBatchView[] {
    this.settle();
    return [...this.#batches.values()]
      .filter((record) => record.apiKey === apiKey)
      .sort((a, b) => b.sequence - a.sequence)
      .map((record) => new MessageBatchView(record));
  }

  /** Starts canceling: the batch reports `canceling`, then its unfinished requests end `canceled`. */
  cancel(apiKey: string, id: string): MessageBatchView {
    const view = this.get(apiKey, id);
    const record = view.record;
    if (record.status === 'ended') {
      throw invalidRequest(`message batch ${id} has already ended and cannot be canceled`);
    }
    if (record.status === 'in_progress') {
      record.status = 'canceling';
      record.cancelInitiatedAt = this.#options.clock.now();
      // A running batch notices at its next slice; an idle one is finished on the next tick.
      if (!record.running) setImmediate(() => this.settle());
    }
    return view;
  }

  /** Forgets an ended batch; deleting one still processing is a 400, as in the API. */
  delete(apiKey: string, id: string): void {
    const { record } = this.get(apiKey, id);
    if (record.status !== 'ended') {
      throw invalidRequest(
        `message batch ${id} is ${record.status}; only a batch that has ended can be deleted (cancel it first)`,
      );
    }
    this.#batches.delete(id);
  }

  /**
   * Moves every batch forward by the clock: expires overdue ones, finishes canceled idle ones and
   * starts due ones. Called on a timer and on every read, so advancing the clock takes effect.
   */
  settle(): void {
    const now = this.#options.clock.now();
    for (const record of this.#batches.values()) {
      if (record.status === 'ended' || record.running) continue;
      if (now >= record.expiresAt) this.#finish(record, 'expired');
      else if (record.status === 'canceling') this.#finish(record, 'canceled');
      else if (now >= record.dueAt) void this.#run(record);
    }
  }

  /** Stops pending timers (the emulator is closing). */
  close(): void {
    for (const record of this.#batches.values()) clearTimeout(record.timer);
  }

  async #run(record: BatchRecord): Promise<void> {
    record.running = true;
    const sliceSize = this.#options.sliceSize ?? 200;
    try {
      while (record.next < record.pending.length) {
        if (this.#options.clock.now() >= record.expiresAt) return this.#finish(record, 'expired');
        if (record.status === 'canceling') return this.#finish(record, 'canceled');
        const end = Math.min(record.pending.length, record.next + sliceSize);
        for (; record.next < end; record.next++) {
          record.results[record.next] = this.#processOne(record, record.next);
          record.pending[record.next] = undefined;
        }
        if (record.next < record.pending.length)
          await new Promise((resolve) => setImmediate(resolve));
      }
      this.#finish(record, 'canceled');
    } finally {
      record.running = false;
    }
  }

  #processOne(record: BatchRecord, index: number): BatchResult {
    try {
      return {
        type: 'succeeded',
        message: this.#options.process(record.pending[index]!, record.apiKey, record.context),
      };
    } catch (error) {
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError('api_error', 'Internal server error (emulator)');
      return {
        type: 'errored',
        error: {
          type: 'error',
          error: { type: apiError.type, message: apiError.message },
          request_id: null,
        },
      };
    }
  }

  /** A seeded Fisher-Yates shuffle per batch (seed and creation order), or request order. */
  #resultOrder(record: BatchRecord): number[] {
    const order = record.customIds.map((_, index) => index);
    if (this.#options.resultOrder === 'request') return order;
    const random = new SeededRandom(
      ((this.#options.seed ?? 1) * 0x9e3779b1 + record.sequence) >>> 0,
    );
    for (let index = order.length - 1; index > 0; index--) {
      const other = Math.floor(random.next() * (index + 1));
      [order[index], order[other]] = [order[other]!, order[index]!];
    }
    return order;
  }

  /** Ends a batch; requests without a result get `fallback`. */
  #finish(record: BatchRecord, fallback: 'canceled' | 'expired'): void {
    for (let index = 0; index < record.results.length; index++) {
      record.results[index] ??= { type: fallback };
      record.pending[index] = undefined;
    }
    record.next = record.pending.length;
    record.order = this.#resultOrder(record);
    record.status = 'ended';
    record.endedAt = this.#options.clock.now();
    clearTimeout(record.timer);
  }
}

/** Read access to one batch: its API shape and, once ended, its results. */
export class MessageBatchView {
  /** @internal */
  constructor(readonly record: BatchRecord) {}

  get id(): string {
    return this.record.id;
  }

  get ended(): boolean {
    return this.record.status === 'ended';
  }

  /** The batch in the API's shape; `origin` (e.g. `http://127.0.0.1:4010`) makes `results_url`. */
  toJSON(origin: string): MessageBatch {
    const { record } = this;
    const counts: BatchRequestCounts = {
      processing: 0,
      succeeded: 0,
      errored: 0,
      canceled: 0,
      expired: 0,
    };
    if (record.status === 'ended') {
      for (const result of record.results) counts[result!.type]++;
    } else {
      counts.processing = record.customIds.length;
    }
    return {
      id: record.id,
      type: 'message_batch',
      processing_status: record.status,
      request_counts: counts,
      created_at: iso(record.createdAt),
      expires_at: iso(record.expiresAt),
      ended_at: record.endedAt === null ? null : iso(record.endedAt),
      cancel_initiated_at: record.cancelInitiatedAt === null ? null : iso(record.cancelInitiatedAt),
      archived_at: null,
      results_url:
        record.status === 'ended' ? `${origin}/v1/messages/batches/${record.id}/results` : null,
    };
  }

  /** The results file, one JSON line per request, in the batch's result order. Only once ended. */
  resultsJsonl(): string {
    const { record } = this;
    if (record.status !== 'ended') {
      throw invalidRequest(
        `message batch ${record.id} is ${record.status}; results are available once processing has ended`,
      );
    }
    let text = '';
    for (const index of record.order) {
      text += `${JSON.stringify({ custom_id: record.customIds[index], result: record.results[index] })}\n`;
    }
    return text;
  }
}
