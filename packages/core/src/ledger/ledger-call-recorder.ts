import type { CallRecord } from '../client/call-record.ts';
import type { CallRecorder } from '../client/call-recorder.ts';
import { ledgerCostFields, type LedgerEntryInput, type LedgerTags } from './ledger-entry.ts';
import type { LedgerStore } from './ledger-store.ts';

export interface LedgerRecorderOptions {
  /** Where calls are recorded. */
  ledger: LedgerStore;
  /** Told about entries that could not be written (recording never throws into the call). */
  onError?: (error: unknown, record: CallRecord) => void;
}

/** Turns a finished call into a ledger entry. */
export function ledgerEntryFromCallRecord(record: CallRecord): LedgerEntryInput {
  const costFields = record.cost
    ? ledgerCostFields(record.cost)
    : { tokens: record.usage, costPicoUsd: 0n, partial: record.usage?.partial ?? false };
  const tags: LedgerTags = {};
  for (const [name, value] of Object.entries(record.tags)) {
    if (typeof value === 'string') tags[name] = value;
  }
  return {
    time: new Date(record.startedAt),
    requestId: record.requestId ?? null,
    modelRequested: record.modelRequested,
    modelServed: record.modelServed ?? null,
    tags,
    durationMs: record.durationMs,
    timeToFirstTokenMs: record.timeToFirstTokenMs ?? null,
    retries: record.retries,
    stopReason: record.stopReason ?? null,
    ...costFields,
    tokens: costFields.tokens
      ? {
          input: costFields.tokens.input,
          cacheWrite5m: costFields.tokens.cacheWrite5m,
          cacheWrite1h: costFields.tokens.cacheWrite1h,
          cacheRead: costFields.tokens.cacheRead,
          output: costFields.tokens.output,
        }
      : undefined,
    partial: costFields.partial || record.status === 'aborted',
    errorCode: record.errorCode ?? (record.status === 'success' ? null : record.status),
  };
}

/**
 * A `CallRecorder` that writes every finished call to the ledger. Writes run in the background;
 * `flush()` waits for them. Failures go to `onError`, never into the call.
 */
export function createLedgerRecorder(options: LedgerRecorderOptions): CallRecorder {
  const pending = new Set<Promise<void>>();
  return {
    record(record) {
      const write = options.ledger
        .record(ledgerEntryFromCallRecord(record))
        .then(
          () => undefined,
          (error: unknown) => options.onError?.(error, record),
        )
        .finally(() => pending.delete(write));
      pending.add(write);
    },
    async flush() {
      await Promise.all([...pending]);
    },
  };
}
