import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCost } from '../cost/compute-cost.ts';
import { LedgerStore } from '../ledger/ledger-store.ts';
import { SqliteStorage } from '../storage/sqlite-storage.ts';
import { BatchInterruptedError } from './batch-interrupted-error.ts';
import type { BatchRequest } from './batch-types.ts';
import { runBatch } from './run-batch.ts';

let emulator: EmulatorHandle;
let anthropic: Anthropic;
let directory: string;
let storage: SqliteStorage;

const fastPolls = { pollIntervalMs: 5, maxPollIntervalMs: 20 };
const submitted: Array<{ requests: Array<{ params: object }> }> = [];

beforeAll(async () => {
  emulator = await startEmulator({ batchProcessingDelayMs: 30 });
  anthropic = new Anthropic({
    apiKey: 'k',
    baseURL: emulator.url,
    maxRetries: 0,
    // Keeps each submitted batch body, to see what reached the API.
    fetch: async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (new URL(url).pathname === '/v1/messages/batches' && typeof init?.body === 'string') {
        submitted.push(JSON.parse(init.body) as { requests: Array<{ params: object }> });
      }
      return fetch(input, init);
    },
  });
  directory = mkdtempSync(join(tmpdir(), 'keel-batch-'));
  storage = new SqliteStorage({ path: join(directory, 'keel.db') });
});

afterAll(async () => {
  await storage?.close();
  await emulator?.close();
  rmSync(directory, { recursive: true, force: true });
});

const ask = (customId: string, text: string): BatchRequest => ({
  customId,
  params: {
    model: 'claude-haiku-4-5',
    max_tokens: 64,
    messages: [{ role: 'user', content: text }],
  },
});

async function batchCount(): Promise<number> {
  let count = 0;
  for await (const _batch of anthropic.messages.batches.list({ limit: 100 })) count++;
  return count;
}

describe('runBatch', () => {
  it('maps results to inputs, resubmits errored requests once, and records half-price cost', async () => {
    const ledger = new LedgerStore({ storage });
    const broken: BatchRequest = {
      customId: 'broken',
      // A negative max_tokens is invalid (0 is a valid cache pre-warm): this line is `errored`.
      params: {
        model: 'claude-haiku-4-5',
        max_tokens: -1,
        messages: [{ role: 'user', content: 'x' }],
      },
    };
    // A temperature is not sent under the SDK's API version (2026-10-21 refuses it per request).
    const warm = ask('a', 'Classify: I love it');
    warm.params.temperature = 0.2;
    const requests = [warm, broken, ask('c', 'Classify: awful')];
    const progress: number[] = [];
    const before = await batchCount();
    const result = await runBatch({
      anthropic,
      requests,
      storage,
      ledger,
      tags: { feature: 'batch-test' },
      onProgress: (update) => progress.push(update.round),
      ...fastPolls,
    });
    expect(await batchCount()).toBe(before + 2);
    expect(submitted.at(-2)!.requests[0]!.params).not.toHaveProperty('temperature');
    expect(result.batchIds).toHaveLength(2);
    expect(result.results.map((item) => [item.customId, item.status])).toEqual([
      ['a', 'succeeded'],
      ['broken', 'errored'],
      ['c', 'succeeded'],
    ]);
    expect(result.results[1]!.attempts).toBe(2);
    expect(result.results[1]!.error?.type).toBe('invalid_request_error');
    expect(result.results[0]!.attempts).toBe(1);
    expect(progress).toContain(1);
    expect(result.counts).toEqual({ succeeded: 2, errored: 1, canceled: 0, expired: 0 });

    const entries = await ledger.list({ feature: 'batch-test' });
    const succeeded = entries.filter((entry) => entry.errorCode === null);
    expect(succeeded).toHaveLength(2);
    expect(entries.filter((entry) => entry.errorCode === 'invalid_request_error')).toHaveLength(2);
    for (const entry of entries) expect(entry.batch).toBe(true);
    const first = result.results[0]!.message!;
    const fullPrice = computeCost({ model: first.model, usage: first.usage, batch: false });
    const stored = succeeded.find((entry) => entry.id.endsWith(':a'))!;
    expect(fullPrice.priced && stored.costPicoUsd! * 2n === fullPrice.picoUsd).toBe(true);
    expect(result.costPicoUsd).toBe(succeeded.reduce((sum, entry) => sum + entry.costPicoUsd!, 0n));
  });

  it('resumes an interrupted job on the same batch instead of submitting again', async () => {
    const requests = [ask('r1', 'Summarize: the sky is blue'), ask('r2', 'Summarize: grass')];
    const controller = new AbortController();
    const before = await batchCount();
    const interrupted = runBatch({
      anthropic,
      requests,
      storage,
      onProgress: () => controller.abort(new Error('stopped by the test')),
      signal: controller.signal,
      ...fastPolls,
    });
    const error = await interrupted.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BatchInterruptedError);
    const [batchId] = (error as BatchInterruptedError).details.batchIds;
    expect(batchId).toMatch(/^msgbatch_/);

    const resumed = await runBatch({ anthropic, requests, storage, ...fastPolls });
    expect(resumed.resumed).toBe(true);
    expect(resumed.batchIds).toEqual([batchId]);
    expect(await batchCount()).toBe(before + 1);
    expect(resumed.results.map((item) => item.status)).toEqual(['succeeded', 'succeeded']);

    const again = await runBatch({ anthropic, requests, storage, ...fastPolls });
    expect(again.batchIds).toEqual([batchId]);
    expect(await batchCount()).toBe(before + 1);
  });

  it('rejects repeated custom ids before submitting anything', async () => {
    await expect(
      runBatch({ anthropic, requests: [ask('same', 'a'), ask('same', 'b')] }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
