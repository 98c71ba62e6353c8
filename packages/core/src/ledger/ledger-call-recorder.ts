import type { CallRecord } from '../call/call-record.ts';
import type { CallRecorder } from '../call/call-recorder.ts';
import type { CallStart } from '../call/call-start.ts';
import { currentCallInstance, type CallInstance } from './call-instance.ts';
import {
  ledgerCostFields,
  type LedgerEntryInput,
  type LedgerStartInput,
  type LedgerTags,
} from './ledger-entry.ts';
import type { LedgerStore } from './ledger-store.ts';

export interface LedgerRecorderOptions {
  /** Where calls are recorded. */
  ledger: LedgerStore;
  /** Told about entries that could not be written (recording never throws into the call). */
  onError?: (error: unknown, record: CallRecord) => void;
  /** Entries are written together, in one transaction, at most this many ms after the first of
   * them was queued. Default 50; 0 writes on the next turn of the event loop. */
  batchWindowMs?: number;
  /** A batch is written as soon as it holds this many entries. Default 100. */
  maxBatchSize?: number;
  /**
   * Write a `started` row before each call is sent (the client waits for that write), so a
   * process killed mid-call leaves a row for `reconcileInterruptedCalls`. Off by default: it
   * costs one awaited write per call.
   */
  recordStarts?: RecordStartsOptions;
}

/** How `started` rows are written. */
export interface RecordStartsOptions {
  /**
   * The longest a call can run, ms, used as its row's deadline when the call has no total
   * timeout of its own (the server passes its turn deadline). After the deadline the call is
   * certainly over, so any process may reconcile its row.
   */
  maxCallMs: number;
  /** The process writing the rows. Default `currentCallInstance()`. */
  instance?: CallInstance;
}

/** The `started` row of a call about to be sent. */
export function ledgerStartFromCallStart(
  start: CallStart,
  options: RecordStartsOptions,
): LedgerStartInput {
  const tags: LedgerTags = {};
  const callTags = start.tags as Record<string, unknown>;
  for (const name in callTags) {
    const value = callTags[name];
    if (typeof value === 'string') tags[name] = value;
  }
  return {
    id: start.id,
    time: new Date(start.startedAt),
    modelRequested: start.modelRequested,
    tags,
    reservationId: start.reservationId ?? null,
    facts: {
      models: [...start.models],
      estimatedInputTokens: start.estimatedInputTokens,
      maxOutputTokens: start.maxOutputTokens,
      inferenceGeo: start.inferenceGeo ?? null,
      instance: options.instance ?? currentCallInstance(),
      deadlineMs: Math.min(start.deadlineAt ?? Infinity, start.startedAt + options.maxCallMs),
    },
  };
}

/** Turns a finished call into a ledger entry. */
export function ledgerEntryFromCallRecord(record: CallRecord): LedgerEntryInput {
  const costFields: Pick<
    LedgerEntryInput,
    'tokens' | 'webSearchRequests' | 'costPicoUsd' | 'unpricedReason' | 'partial' | 'batch'
  > = record.cost
    ? ledgerCostFields(record.cost)
    : { tokens: record.usage, costPicoUsd: 0n, partial: record.usage?.partial ?? false };
  const tags: LedgerTags = {};
  const callTags = record.tags as Record<string, unknown>;
  for (const name in callTags) {
    const value = callTags[name];
    if (typeof value === 'string') tags[name] = value;
  }
  const tokens = costFields.tokens;
  // Built field by field: this runs once per call, and spreads are slow on Node 20.
  const entry: LedgerEntryInput = {
    time: new Date(record.startedAt),
    requestId: record.requestId ?? null,
    modelRequested: record.modelRequested,
    modelServed: record.modelServed ?? null,
    tags,
    durationMs: record.durationMs,
    timeToFirstTokenMs: record.timeToFirstTokenMs ?? null,
    retries: record.retries,
    stopReason: record.stopReason ?? null,
    costPicoUsd: costFields.costPicoUsd,
    tokens: tokens
      ? {
          input: tokens.input,
          cacheWrite5m: tokens.cacheWrite5m,
          cacheWrite1h: tokens.cacheWrite1h,
          cacheRead: tokens.cacheRead,
          output: tokens.output,
        }
      : undefined,
    partial: costFields.partial || record.status === 'aborted',
    errorCode: record.errorCode ?? (record.status === 'success' ? null : record.status),
  };
  if (record.id !== undefined) entry.id = record.id;
  if (costFields.webSearchRequests !== undefined) {
    entry.webSearchRequests = costFields.webSearchRequests;
  }
  if (costFields.unpricedReason !== undefined) entry.unpricedReason = costFields.unpricedReason;
  if (costFields.batch !== undefined) entry.batch = costFields.batch;
  return entry;
}

/**
 * A `CallRecorder` that writes every finished call to the ledger, in the background and in
 * batches: one transaction per batch costs a fraction of one commit per call. `flush()` writes
 * what is queued and waits for it (the client's `flush()`/`close()` call it). A batch that fails
 * is retried entry by entry, so one bad entry costs only itself; each failure goes to `onError`,
 * never into the call.
 */
export function createLedgerRecorder(options: LedgerRecorderOptions): CallRecorder {
  const windowMs = options.batchWindowMs ?? 50;
  const maxBatchSize = Math.max(1, options.maxBatchSize ?? 100);
  const pending = new Set<Promise<void>>();
  let queue: Array<{ record: CallRecord; entry: LedgerEntryInput }> = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const track = (write: Promise<void>) => {
    pending.add(write);
    void write.finally(() => pending.delete(write));
  };
  const writeQueued = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    track(
      options.ledger.recordMany(batch.map((item) => item.entry)).then(
        () => undefined,
        () =>
          Promise.all(
            batch.map(({ record, entry }) =>
              options.ledger.record(entry).then(
                () => undefined,
                (error: unknown) => options.onError?.(error, record),
              ),
            ),
          ).then(() => undefined),
      ),
    );
  };

  const recordStarts = options.recordStarts;
  const recorder: CallRecorder = {
    record(record) {
      let entry: LedgerEntryInput;
      try {
        entry = ledgerEntryFromCallRecord(record);
      } catch (error) {
        options.onError?.(error, record);
        return;
      }
      queue.push({ record, entry });
      if (queue.length >= maxBatchSize) writeQueued();
      else timer ??= setTimeout(writeQueued, windowMs);
    },
    async flush() {
      writeQueued();
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
  if (recordStarts) {
    recorder.started = (start) =>
      options.ledger.recordStarted(ledgerStartFromCallStart(start, recordStarts));
  }
  return recorder;
}
