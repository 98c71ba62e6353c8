import { ValidationError } from '@keel/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../call/call-record.ts';
import { computeCost } from '../cost/compute-cost.ts';
import type { Storage } from '../storage/storage.ts';
import {
  createTestStorageEngine,
  testDialects,
  type TestStorageEngine,
} from '../storage/test-engines.ts';
import { createLedgerRecorder, ledgerEntryFromCallRecord } from './ledger-call-recorder.ts';
import { ledgerCostFields, type LedgerEntryInput } from './ledger-entry.ts';
import { LedgerStore } from './ledger-store.ts';

const usd = (text: string): bigint => {
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole + fraction.padEnd(12, '0'));
};

const entries: LedgerEntryInput[] = [
  {
    id: 'e1',
    time: new Date('2026-03-01T10:00:00Z'),
    requestId: 'req_1',
    modelRequested: 'claude-sonnet-4-6',
    modelServed: 'claude-sonnet-4-6',
    tags: {
      user: 'alice',
      feature: 'chat',
      session: 's1',
      promptId: 'greet',
      promptVersion: '3',
      tenant: 'acme',
    },
    durationMs: 812,
    timeToFirstTokenMs: 140,
    retries: 1,
    stopReason: 'end_turn',
    tokens: { input: 1000, cacheRead: 3000, output: 200 },
    costPicoUsd: usd('0.012'),
    expectedCachedTokens: 3000,
    actualCachedTokens: 3000,
  },
  {
    id: 'e2',
    time: new Date('2026-03-01T23:59:59.999Z'),
    modelRequested: 'claude-haiku-4-5-20251001',
    modelServed: 'claude-haiku-4-5-20251001',
    tags: { user: 'bob', feature: 'chat', session: 's2' },
    durationMs: 300,
    tokens: { input: 500, output: 100 },
    costPicoUsd: usd('0.003'),
  },
  {
    id: 'e3',
    time: new Date('2026-03-02T00:00:00Z'),
    modelRequested: 'claude-opus-4-6',
    modelServed: 'claude-opus-4-6',
    tags: { user: 'alice', feature: 'search', session: 's3' },
    durationMs: 4000,
    tokens: { input: 10_000, cacheWrite5m: 2000, output: 5000 },
    webSearchRequests: 2,
    costPicoUsd: usd('0.25'),
    batch: true,
  },
  {
    id: 'e4',
    time: new Date('2026-03-02T08:00:00Z'),
    modelRequested: 'claude-mystery-9',
    modelServed: 'claude-mystery-9',
    tags: { user: 'carol', feature: 'search' },
    durationMs: 100,
    tokens: { input: 100, output: 10 },
    costPicoUsd: null,
    unpricedReason: 'unknown_model',
  },
  {
    id: 'e5',
    time: new Date('2026-03-03T12:00:00Z'),
    modelRequested: 'claude-sonnet-4-6',
    tags: { feature: 'chat' },
    durationMs: 30_000,
    retries: 2,
    costPicoUsd: 0n,
    errorCode: 'retry_exhausted',
  },
];

describe.each(testDialects)('LedgerStore on %s', (dialect) => {
  let engine: TestStorageEngine;
  let storage: Storage;
  let ledger: LedgerStore;

  beforeAll(async () => {
    engine = await createTestStorageEngine(dialect);
    storage = await engine.open();
    ledger = new LedgerStore({ storage });
    for (const entry of entries) await ledger.record(entry);
  });
  afterAll(() => engine.cleanup());

  it('stores every field of an entry', async () => {
    const entry = await ledger.get('e1');
    expect(entry).toEqual({
      id: 'e1',
      time: new Date('2026-03-01T10:00:00Z'),
      requestId: 'req_1',
      modelRequested: 'claude-sonnet-4-6',
      modelServed: 'claude-sonnet-4-6',
      tags: {
        user: 'alice',
        feature: 'chat',
        session: 's1',
        promptId: 'greet',
        promptVersion: '3',
        tenant: 'acme',
      },
      durationMs: 812,
      timeToFirstTokenMs: 140,
      retries: 1,
      stopReason: 'end_turn',
      tokens: { input: 1000, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 3000, output: 200 },
      webSearchRequests: 0,
      cacheHitRatio: 0.75,
      priced: true,
      costPicoUsd: 12_000_000_000n,
      costUsdText: '0.012',
      unpricedReason: null,
      partial: false,
      batch: false,
      errorCode: null,
      expectedCachedTokens: 3000,
      actualCachedTokens: 3000,
      status: 'complete',
      estimated: false,
      reservationId: null,
      start: null,
    });
  });

  it('keeps an unpriced entry unpriced: null cost, never 0', async () => {
    const entry = await ledger.get('e4');
    expect(entry).toMatchObject({
      priced: false,
      costPicoUsd: null,
      costUsdText: null,
      unpricedReason: 'unknown_model',
    });
  });

  it('keeps the first entry when an id is recorded twice', async () => {
    const again = await ledger.record({ ...entries[1]!, costPicoUsd: usd('99') });
    expect(again.costPicoUsd).toBe(usd('0.003'));
  });

  it('groups cost and tokens by feature', async () => {
    const groups = await ledger.summarize({ groupBy: 'feature' });
    expect(
      groups.map((g) => [g.key, g.requests, g.costPicoUsd, g.failedRequests, g.unpricedRequests]),
    ).toEqual([
      ['search', 2, usd('0.25'), 0, 1],
      ['chat', 3, usd('0.015'), 1, 0],
    ]);
    expect(groups[1]?.tokens).toEqual({
      input: 1500,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      cacheRead: 3000,
      output: 300,
    });
    expect(groups[1]?.cacheHitRatio).toBeCloseTo(3000 / 4500, 12);
    expect(groups[0]?.costUsdText).toBe('0.25');
  });

  it('groups by user, untagged entries under null', async () => {
    const groups = await ledger.summarize({ groupBy: 'user' });
    expect(groups.slice(0, 2).map((g) => [g.key, g.requests, g.costPicoUsd])).toEqual([
      ['alice', 2, usd('0.262')],
      ['bob', 1, usd('0.003')],
    ]);
    expect(
      groups
        .slice(2)
        .map((g) => g.key)
        .sort(),
    ).toEqual(['carol', null].sort());
  });

  it('groups by session and by served model', async () => {
    const sessions = await ledger.summarize({ groupBy: 'session', user: 'alice' });
    expect(sessions.map((g) => [g.key, g.costPicoUsd])).toEqual([
      ['s3', usd('0.25')],
      ['s1', usd('0.012')],
    ]);
    const models = await ledger.summarize({ groupBy: 'model' });
    expect(models.map((g) => [g.key, g.requests, g.costPicoUsd, g.unpricedRequests])).toEqual([
      ['claude-opus-4-6', 1, usd('0.25'), 0],
      ['claude-sonnet-4-6', 2, usd('0.012'), 0],
      ['claude-haiku-4-5-20251001', 1, usd('0.003'), 0],
      ['claude-mystery-9', 1, 0n, 1],
    ]);
  });

  it('groups by UTC day, oldest first', async () => {
    const days = await ledger.summarize({ groupBy: 'day' });
    expect(days.map((g) => [g.key, g.requests, g.costPicoUsd])).toEqual([
      ['2026-03-01', 2, usd('0.015')],
      ['2026-03-02', 2, usd('0.25')],
      ['2026-03-03', 1, 0n],
    ]);
  });

  it('filters by a time range: from inclusive, to exclusive', async () => {
    const range = { from: new Date('2026-03-01T12:00:00Z'), to: new Date('2026-03-02T08:00:00Z') };
    const total = await ledger.total(range);
    expect([total.requests, total.costPicoUsd, total.unpricedRequests]).toEqual([
      2,
      usd('0.253'),
      0,
    ]);
    const listed = await ledger.list(range);
    expect(listed.map((e) => e.id)).toEqual(['e3', 'e2']);
  });

  it('ranks top spenders by user, feature and model', async () => {
    const users = await ledger.topSpenders({ by: 'user', limit: 2 });
    expect(users.map((g) => [g.key, g.costUsdText])).toEqual([
      ['alice', '0.262'],
      ['bob', '0.003'],
    ]);
    const features = await ledger.topSpenders({
      by: 'feature',
      limit: 1,
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-02T00:00:00Z'),
    });
    expect(features.map((g) => [g.key, g.costUsdText])).toEqual([['chat', '0.015']]);
    const models = await ledger.topSpenders({ by: 'model', limit: 10 });
    expect(models[0]?.key).toBe('claude-opus-4-6');
  });

  it('rejects malformed entries', async () => {
    await expect(
      ledger.record({
        modelRequested: 'claude-opus-4-6',
        durationMs: 1,
        tokens: { input: -1 },
        costPicoUsd: 0n,
      }),
    ).rejects.toThrow(ValidationError);
    await expect(
      ledger.record({ modelRequested: 'claude-opus-4-6', durationMs: 1, costPicoUsd: null }),
    ).rejects.toThrow(ValidationError);
  });

  it('records finished calls through the client recorder', async () => {
    const usage = {
      input_tokens: 2095,
      output_tokens: 503,
      cache_creation_input_tokens: 248,
      cache_read_input_tokens: 1800,
      cache_creation: { ephemeral_5m_input_tokens: 148, ephemeral_1h_input_tokens: 100 },
    };
    const cost = computeCost({ model: 'claude-sonnet-4-6', usage, partial: true });
    const record: CallRecord = {
      status: 'aborted',
      startedAt: Date.parse('2026-04-01T09:00:00Z'),
      durationMs: 50,
      modelRequested: 'claude-sonnet-4-6',
      modelServed: 'claude-sonnet-4-6',
      retries: 0,
      stream: true,
      cost,
      tags: { feature: 'recorder', user: 'dave' },
    };
    const failures: unknown[] = [];
    const recorder = createLedgerRecorder({ ledger, onError: (error) => failures.push(error) });
    await recorder.record(record);
    await recorder.flush?.();
    expect(failures).toEqual([]);
    const [entry] = await ledger.list({ feature: 'recorder' });
    // Sonnet 4.6: 2095×$3 + 148×$3.75 + 100×$6 + 1800×$0.30 + 503×$15 per MTok
    expect(entry).toMatchObject({
      costUsdText: '0.015525',
      partial: true,
      errorCode: 'aborted',
      tokens: { input: 2095, cacheWrite5m: 148, cacheWrite1h: 100, cacheRead: 1800, output: 503 },
    });
    expect(
      ledgerEntryFromCallRecord({
        ...record,
        cost: undefined,
        status: 'error',
        errorCode: 'retry_exhausted',
      }),
    ).toMatchObject({
      costPicoUsd: 0n,
      errorCode: 'retry_exhausted',
    });
    expect(ledgerCostFields(computeCost({ model: 'nope', usage }))).toMatchObject({
      costPicoUsd: null,
      unpricedReason: 'unknown_model',
    });
  });

  it('writes recorded calls in batches, and retries a failed batch entry by entry', async () => {
    const call = (user: string, durationMs: number): CallRecord => ({
      status: 'success',
      startedAt: Date.parse('2026-05-01T09:00:00Z'),
      durationMs,
      modelRequested: 'claude-haiku-4-5-20251001',
      modelServed: 'claude-haiku-4-5-20251001',
      retries: 0,
      stream: false,
      cost: computeCost({
        model: 'claude-haiku-4-5-20251001',
        usage: { input_tokens: 10, output_tokens: 5 },
      }),
      tags: { feature: 'batched', user },
    });
    const failures: CallRecord[] = [];
    const recorder = createLedgerRecorder({
      ledger,
      batchWindowMs: 60_000,
      onError: (_error, record) => failures.push(record),
    });
    void recorder.record(call('u1', 5));
    void recorder.record(call('u2', Number.NaN));
    void recorder.record(call('u3', 7));
    // Nothing is written before the window closes or flush() is called...
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await ledger.list({ feature: 'batched' })).toEqual([]);
    // ...and the invalid entry fails alone.
    await recorder.flush?.();
    expect(failures.map((record) => record.tags.user)).toEqual(['u2']);
    const users = (await ledger.list({ feature: 'batched' })).map((entry) => entry.tags.user);
    expect(users.sort()).toEqual(['u1', 'u3']);

    // A full batch is written without waiting for the window or a flush.
    const eager = createLedgerRecorder({ ledger, batchWindowMs: 60_000, maxBatchSize: 2 });
    void eager.record(call('u4', 1));
    void eager.record(call('u5', 1));
    await expect
      .poll(async () => (await ledger.total({ feature: 'batched' })).requests, { timeout: 5000 })
      .toBe(4);
  });
});
