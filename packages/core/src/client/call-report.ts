import type { CallRecord } from '../call/call-record.ts';
import { outcomeFromStopReason, type CallResult } from '../call/call-result.ts';
import { addLogFields, type CallLogRecord } from '../logging/call-log-record.ts';
import { requestText } from './attempt-body.ts';
import { CallAbortedError } from './call-aborted-error.ts';
import type { MappedFailure } from './map-failure.ts';
import type { PreparedCall } from './prepare-call.ts';

/** The record of a successful call, as recorders (the ledger) receive it. */
export function successRecord(prepared: PreparedCall, result: CallResult): CallRecord {
  const record: CallRecord = {
    status: 'success',
    startedAt: prepared.startedAt,
    durationMs: result.durationMs,
    modelRequested: prepared.modelRequested,
    modelServed: result.modelServed,
    retries: result.retries,
    stream: prepared.stream,
    stopReason: result.stopReason,
    usage: result.usage,
    rawUsage: result.message.usage,
    cost: result.cost,
    tags: prepared.tags,
  };
  if (prepared.id !== undefined) record.id = prepared.id;
  if (result.timeToFirstTokenMs !== undefined)
    record.timeToFirstTokenMs = result.timeToFirstTokenMs;
  if (prepared.task !== undefined) record.task = prepared.task;
  if (result.requestId !== undefined) record.requestId = result.requestId;
  return record;
}

/** How far a failed call got, besides its mapped failure. */
export interface FailureProgress {
  /** Retries made (from the attempts when the call never got a value). */
  retries: number;
  /** The server's request id of the attempt that streamed. */
  requestId: string | undefined;
  /** When the first content reached the caller, `performance.now()`. */
  firstContentAt: number | undefined;
}

/** The record of a failed or aborted call, with what a started stream spent. */
export function failureRecord(
  prepared: PreparedCall,
  failure: MappedFailure,
  progress: FailureProgress,
): CallRecord {
  const { error, partial } = failure;
  const code = (error as { code?: unknown }).code;
  const record: CallRecord = {
    status: error instanceof CallAbortedError ? 'aborted' : 'error',
    errorCode: typeof code === 'string' ? code : error.name,
    startedAt: prepared.startedAt,
    durationMs: performance.now() - prepared.started,
    modelRequested: prepared.modelRequested,
    retries: progress.retries,
    stream: prepared.stream,
    tags: prepared.tags,
  };
  if (prepared.task !== undefined) record.task = prepared.task;
  if (prepared.id !== undefined) record.id = prepared.id;
  if (progress.firstContentAt !== undefined) {
    record.timeToFirstTokenMs = progress.firstContentAt - prepared.started;
  }
  if (progress.requestId !== undefined) record.requestId = progress.requestId;
  if (partial) {
    record.modelServed = partial.model;
    record.usage = partial.usage;
    record.cost = partial.cost;
    record.rawUsage = partial.raw;
  }
  return record;
}

const milliseconds = (value: number) => Math.round(value * 1000) / 1000;

/**
 * The call's one log line, derived from its record: `status` is `success` or the error code the
 * caller got; `error` is the message of that error; `content` (request and response text) only
 * when content logging is on.
 */
export function callLogLine(
  record: CallRecord,
  details: { error?: Error; prepared: PreparedCall; responseText: string },
): CallLogRecord {
  const line: CallLogRecord = {
    event: 'claude_call',
    status: record.status === 'success' ? 'success' : (record.errorCode ?? record.status),
    durationMs: milliseconds(record.durationMs),
    modelRequested: record.modelRequested,
    retries: record.retries,
    stream: record.stream,
  };
  if (record.status === 'success') line.outcome = outcomeFromStopReason(record.stopReason ?? null);
  if (record.modelServed !== undefined) line.modelServed = record.modelServed;
  if (record.stopReason !== undefined) line.stopReason = record.stopReason;
  if (record.timeToFirstTokenMs !== undefined) {
    line.timeToFirstTokenMs = milliseconds(record.timeToFirstTokenMs);
  }
  if (record.task !== undefined) line.task = record.task;
  if (record.requestId !== undefined) line.requestId = record.requestId;
  addLogFields(line, record.tags, record.usage, record.cost);
  if (details.error) line.error = details.error.message;
  if (details.prepared.logContent) {
    line.content = {
      request: requestText(details.prepared.request),
      response: details.responseText,
    };
  }
  return line;
}

/** A log line for a problem inside Keel that did not fail the call (a recorder, a callback). */
export function problemLogLine(
  status: string,
  error: unknown,
  call?: Pick<CallRecord, 'modelRequested' | 'stream'>,
): CallLogRecord {
  return {
    event: 'claude_call',
    status,
    durationMs: 0,
    modelRequested: call?.modelRequested ?? '',
    retries: 0,
    stream: call?.stream ?? false,
    error: error instanceof Error ? error.message : String(error),
  };
}
