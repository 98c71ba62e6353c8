import { createHash } from 'node:crypto';
import type Anthropic from '@anthropic-ai/sdk';
import type {
  MessageBatch,
  MessageBatchIndividualResponse,
} from '@anthropic-ai/sdk/resources/messages/batches';
import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import { ValidationError } from '@keel/errors';
import type { KeelClient } from '../client/keel-client.ts';
import { apiVersionOf } from '../client/api-version.ts';
import { hasSamplingParameters } from '../client/sampling-parameters.ts';
import { withSendableSamplingParameters } from '../client/sendable-sampling-parameters.ts';
import { WarnOnce } from '../warnings/keel-warning.ts';
import { computeCost } from '../cost/compute-cost.ts';
import { costToJson } from '../cost/cost-json.ts';
import { ledgerCostFields, type LedgerTags } from '../ledger/ledger-entry.ts';
import type { LedgerStore } from '../ledger/ledger-store.ts';
import type { Storage } from '../storage/storage.ts';
import { BatchInterruptedError } from './batch-interrupted-error.ts';
import {
  memoryBatchJobStore,
  storageBatchJobStore,
  type BatchJobStore,
  type BatchRound,
} from './batch-job-store.ts';
import type { BatchItemResult, BatchProgress, BatchRequest } from './batch-types.ts';

/** Options of {@link runBatch}. */
export interface RunBatchOptions {
  /** Keel's client (its SDK client is used), or give `anthropic`. */
  keel?: KeelClient;
  /** The official SDK client, when not using `keel`. */
  anthropic?: Anthropic;
  /** The requests; custom ids must be unique. */
  requests: BatchRequest[];
  /**
   * Where the job's batch ids and results are kept, so an interrupted run resumes (same batch,
   * no second submission). In memory when absent.
   */
  storage?: Storage;
  /** The job's id. Default: a hash of the requests, so the same input resumes the same job. */
  jobId?: string;
  /** Records one entry per result at the batch discount (`batch: true`). */
  ledger?: LedgerStore;
  /** Tags on every ledger entry. */
  tags?: LedgerTags;
  /** How many times errored (and expired) requests are resubmitted, as a new batch. Default 1. */
  retries?: number;
  /** Which failed results are worth resubmitting. Default: every `errored` and `expired` one. */
  shouldRetry?: (result: BatchItemResult) => boolean;
  /** Called after every poll. */
  onProgress?: (progress: BatchProgress) => void;
  /** Called for each result as it is read (final or about to be retried). */
  onResult?: (result: BatchItemResult) => void;
  /** First wait between polls, ms. Default 2000; it grows by 1.5x up to `maxPollIntervalMs`. */
  pollIntervalMs?: number;
  /** Longest wait between polls, ms. Default 60 000. */
  maxPollIntervalMs?: number;
  /** Stops the run (the batch keeps processing on the server; run again to resume). */
  signal?: AbortSignal;
  /** Prices; the shipped catalog by default. */
  catalog?: ModelCatalog;
  /** Test seams. */
  _internal?: {
    /** Waits between polls. */
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
    /** Milliseconds since the epoch. */
    now?: () => number;
  };
}

/** What {@link runBatch} returns. */
export interface RunBatchResult {
  /** The job id (resume with the same input or id). */
  jobId: string;
  /** Every batch submitted for the job, in order. */
  batchIds: string[];
  /** One result per request, in input order. */
  results: BatchItemResult[];
  /** Results by status. */
  counts: Record<BatchItemResult['status'], number>;
  /** Sum of the succeeded results' costs, picodollars (unpriced results excluded). */
  costPicoUsd: bigint;
  /** True when at least one batch was found already submitted. */
  resumed: boolean;
}

/** The hash that names a job when no id is given: same requests, same job. */
export function batchJobId(requests: readonly BatchRequest[]): string {
  const hash = createHash('sha256');
  for (const request of requests) hash.update(JSON.stringify([request.customId, request.params]));
  return `job_${hash.digest('hex').slice(0, 32)}`;
}

const customIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Runs requests through the Message Batches API at half price: submits them with their custom
 * ids, polls with backoff, maps each result back to its request, resubmits errored ones (once by
 * default, as a new batch), and records each result's cost at the batch discount in the ledger.
 * The batch ids and results are persisted as they happen, so a run that is interrupted (crash,
 * Ctrl-C, `signal`) and started again picks up the same batch instead of paying twice.
 */
export async function runBatch(options: RunBatchOptions): Promise<RunBatchResult> {
  const anthropic = options.anthropic ?? options.keel?.anthropic;
  if (!anthropic) throw new ValidationError('runBatch', ['give `keel` or `anthropic`']);
  // Each request of a batch follows the API version's rules: sampling fields only where accepted.
  const keel = options.keel;
  const sampling = keel
    ? undefined
    : {
        apiVersion: apiVersionOf(anthropic),
        catalog: options.catalog ?? defaultModelCatalog(),
        warnings: new WarnOnce(),
      };
  const sendable = (params: BatchRequest['params']): BatchRequest['params'] => {
    if (!hasSamplingParameters(params)) return params;
    if (sampling) return withSendableSamplingParameters(params, sampling);
    const { temperature: _temperature, top_p: _topP, top_k: _topK, ...rest } = params;
    return { ...rest, ...keel!.supportedSamplingParameters(params, params.model) };
  };
  validateRequests(options.requests);
  const now = options._internal?.now ?? Date.now;
  const sleep = options._internal?.sleep ?? abortableSleep;
  const started = now();
  const store: BatchJobStore = options.storage
    ? storageBatchJobStore(options.storage, now)
    : memoryBatchJobStore();
  const jobId = options.jobId ?? batchJobId(options.requests);
  const retries = options.retries ?? 1;
  const shouldRetry =
    options.shouldRetry ?? ((result) => result.status === 'errored' || result.status === 'expired');
  const byId = new Map(options.requests.map((request) => [request.customId, request]));
  const rounds = await store.rounds(jobId);
  let resumed = false;

  try {
    for (let round = 0; round <= retries; round++) {
      let current: BatchRound | undefined = rounds[round];
      const wasResumed = current !== undefined;
      if (!current) {
        const done = await store.results(jobId);
        const pending = options.requests.filter((request) => {
          const previous = done.get(request.customId);
          return !previous || (round > 0 && shouldRetry(previous.result));
        });
        if (pending.length === 0) break;
        throwIfAborted(options.signal);
        const batch = await anthropic.messages.batches.create(
          {
            requests: pending.map((request) => ({
              custom_id: request.customId,
              params: sendable(request.params),
            })),
          },
          options.signal ? { signal: options.signal } : {},
        );
        current = { batchId: batch.id, customIds: pending.map((request) => request.customId) };
        await store.addRound(jobId, current);
        rounds.push(current);
      }
      resumed ||= wasResumed;
      const batch = await pollUntilEnded(anthropic, current, {
        jobId,
        round,
        resumed: wasResumed,
        started,
        now,
        sleep,
        options,
      });
      const done = await store.results(jobId);
      const expected = new Set(current.customIds);
      const alreadyRead = current.customIds.every((id) => done.get(id)?.round === round);
      if (!alreadyRead) {
        const decoder = await anthropic.messages.batches.results(
          batch.id,
          {},
          options.signal ? { signal: options.signal } : {},
        );
        for await (const line of decoder) {
          const request = byId.get(line.custom_id);
          if (!request || !expected.has(line.custom_id)) continue;
          const result = toItemResult(line, request, batch.id, round + 1, options.catalog);
          await recordInLedger(options, result, batch);
          await store.saveResult(jobId, round, result);
          options.onResult?.(result);
        }
      }
      const after = await store.results(jobId);
      const retryable = current.customIds.some((id) => {
        const entry = after.get(id);
        return entry !== undefined && shouldRetry(entry.result);
      });
      if (!retryable) break;
    }
  } catch (error) {
    if (options.signal?.aborted) {
      throw new BatchInterruptedError(
        { jobId, batchIds: rounds.map((round) => round.batchId) },
        error,
      );
    }
    throw error;
  }

  const final = await store.results(jobId);
  const results: BatchItemResult[] = [];
  const counts = { succeeded: 0, errored: 0, canceled: 0, expired: 0 };
  let costPicoUsd = 0n;
  for (const request of options.requests) {
    const entry = final.get(request.customId);
    if (!entry) continue;
    results.push(entry.result);
    counts[entry.result.status]++;
    const cost = entry.result.cost;
    if (cost?.priced) costPicoUsd += BigInt(cost.picoUsd);
  }
  return {
    jobId,
    batchIds: rounds.map((round) => round.batchId),
    results,
    counts,
    costPicoUsd,
    resumed,
  };
}

interface PollContext {
  jobId: string;
  round: number;
  resumed: boolean;
  started: number;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  options: RunBatchOptions;
}

async function pollUntilEnded(
  anthropic: Anthropic,
  round: BatchRound,
  context: PollContext,
): Promise<MessageBatch> {
  const { options } = context;
  let interval = options.pollIntervalMs ?? 2000;
  const maxInterval = options.maxPollIntervalMs ?? 60_000;
  for (;;) {
    throwIfAborted(options.signal);
    const batch = await anthropic.messages.batches.retrieve(
      round.batchId,
      {},
      options.signal ? { signal: options.signal } : {},
    );
    const counts = batch.request_counts;
    options.onProgress?.({
      jobId: context.jobId,
      batchId: batch.id,
      round: context.round,
      total: round.customIds.length,
      processing: counts.processing,
      succeeded: counts.succeeded,
      errored: counts.errored,
      other: counts.canceled + counts.expired,
      elapsedMs: context.now() - context.started,
      resumed: context.resumed,
    });
    if (batch.processing_status === 'ended') return batch;
    await context.sleep(interval, options.signal);
    interval = Math.min(maxInterval, Math.round(interval * 1.5));
  }
}

function toItemResult(
  line: MessageBatchIndividualResponse,
  request: BatchRequest,
  batchId: string,
  attempts: number,
  catalog: ModelCatalog | undefined,
): BatchItemResult {
  const base = { customId: line.custom_id, request, batchId, attempts };
  const result = line.result;
  switch (result.type) {
    case 'succeeded': {
      const message = result.message;
      const cost = computeCost({
        model: message.model,
        usage: message.usage,
        batch: true,
        ...(catalog ? { catalog } : {}),
        inferenceGeo: request.params.inference_geo ?? null,
      });
      return { ...base, status: 'succeeded', message, cost: costToJson(cost) };
    }
    case 'errored': {
      const error = result.error.error;
      return { ...base, status: 'errored', error: { type: error.type, message: error.message } };
    }
    default:
      return { ...base, status: result.type };
  }
}

/** One ledger entry per result (ids derived from batch and custom id: re-reading is harmless). */
async function recordInLedger(
  options: RunBatchOptions,
  result: BatchItemResult,
  batch: MessageBatch,
): Promise<void> {
  if (!options.ledger) return;
  const time = new Date(batch.created_at);
  const durationMs = batch.ended_at ? Date.parse(batch.ended_at) - time.getTime() : 0;
  const common = {
    id: `${batch.id}:${result.customId}`,
    time,
    modelRequested: result.request.params.model,
    durationMs: Math.max(0, durationMs),
    ...(options.tags ? { tags: options.tags } : {}),
  };
  if (result.status === 'succeeded' && result.message) {
    const message = result.message;
    const cost = computeCost({
      model: message.model,
      usage: message.usage,
      batch: true,
      ...(options.catalog ? { catalog: options.catalog } : {}),
      inferenceGeo: result.request.params.inference_geo ?? null,
    });
    await options.ledger.record({
      ...common,
      requestId: message.id,
      modelServed: message.model,
      stopReason: message.stop_reason,
      ...ledgerCostFields(cost),
      batch: true,
    });
    return;
  }
  await options.ledger.record({
    ...common,
    costPicoUsd: 0n,
    batch: true,
    errorCode: result.error?.type ?? `batch_${result.status}`,
  });
}

function validateRequests(requests: readonly BatchRequest[]): void {
  const issues: string[] = [];
  const seen = new Set<string>();
  if (requests.length === 0) issues.push('no requests');
  requests.forEach((request, index) => {
    if (!customIdPattern.test(request.customId)) {
      issues.push(`${index}.customId: "${request.customId}" must be 1-64 of [A-Za-z0-9_-]`);
    }
    if (seen.has(request.customId)) issues.push(`${index}.customId: "${request.customId}" repeats`);
    seen.add(request.customId);
  });
  if (issues.length > 0) throw new ValidationError('batch requests', issues);
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
