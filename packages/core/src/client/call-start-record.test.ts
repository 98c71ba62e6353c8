import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetManager } from '../budget/budget-manager.ts';
import { createLedgerRecorder } from '../ledger/ledger-call-recorder.ts';
import type { LedgerEntry } from '../ledger/ledger-entry.ts';
import { LedgerStore } from '../ledger/ledger-store.ts';
import { SqliteStorage } from '../storage/sqlite-storage.ts';
import type { CallRecord } from '../call/call-record.ts';
import { createKeel } from './create-keel.ts';

let emulator: EmulatorHandle;
let directory: string;
let storage: SqliteStorage;

beforeAll(async () => {
  emulator = await startEmulator();
  directory = mkdtempSync(join(tmpdir(), 'keel-call-start-'));
  storage = new SqliteStorage({ path: join(directory, 'keel.db') });
});
afterAll(async () => {
  await emulator.close();
  await storage.close();
  rmSync(directory, { recursive: true, force: true });
});

const request = {
  model: 'claude-haiku-4-5-20251001',
  max_tokens: 200,
  messages: [{ role: 'user' as const, content: 'Where is my order?' }],
};

describe('a call recorded before it is sent', () => {
  it('has its started row, linked to its hold, when the request leaves; the finished call replaces it', async () => {
    const ledger = new LedgerStore({ storage });
    const budgets = new BudgetManager({
      storage,
      limits: [{ scope: 'user', period: 'day', maxUsd: '5' }],
    });
    const seenAtSend: LedgerEntry[][] = [];
    // The real SDK over a real socket; the fetch only looks at the ledger as each request leaves.
    const anthropic = new Anthropic({
      apiKey: 'k',
      baseURL: emulator.url,
      maxRetries: 0,
      fetch: async (url, init) => {
        seenAtSend.push(await ledger.startedCalls());
        return fetch(url, init);
      },
    });
    const keel = createKeel({
      anthropic,
      logger: false,
      budgets,
      recorders: [createLedgerRecorder({ ledger, recordStarts: { maxCallMs: 60_000 } })],
    });
    const tags = { user: 'u-start', feature: 'orders' };
    const streamed = await keel.stream(request, { tags }).result();
    await keel.flush();
    const called = await keel.call(request, { tags });
    await keel.flush();

    expect(seenAtSend).toHaveLength(2);
    for (const [index, started] of seenAtSend.entries()) {
      expect(started).toHaveLength(1);
      expect(started[0]).toMatchObject({
        status: 'started',
        modelRequested: request.model,
        tags,
        start: { maxOutputTokens: 200, models: expect.arrayContaining([request.model]) },
      });
      expect(started[0]!.reservationId).not.toBeNull();
      expect(started[0]!.start!.estimatedInputTokens).toBeGreaterThan(0);
      const finished = await ledger.get(started[0]!.id);
      const result = index === 0 ? streamed : called;
      expect(finished).toMatchObject({
        status: 'complete',
        requestId: result.requestId,
        reservationId: started[0]!.reservationId,
        costPicoUsd: result.cost.priced ? result.cost.picoUsd : -1n,
      });
    }
    expect(await ledger.startedCalls()).toEqual([]);
    expect(await ledger.list({ user: 'u-start' })).toHaveLength(2);
  });

  it('goes ahead when the start cannot be written, and still records the finished call', async () => {
    const records: CallRecord[] = [];
    const keel = createKeel({
      apiKey: 'k',
      baseURL: emulator.url,
      logger: false,
      recorders: [
        {
          started: () => Promise.reject(new Error('database unavailable')),
          record: (record) => void records.push(record),
        },
      ],
    });
    const result = await keel.call(request);
    await keel.flush();
    expect(result.outcome).toBe('complete');
    expect(records).toHaveLength(1);
    expect(records[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives calls no id when no recorder asks to hear of their start', async () => {
    const records: CallRecord[] = [];
    const keel = createKeel({
      apiKey: 'k',
      baseURL: emulator.url,
      logger: false,
      recorders: [{ record: (record) => void records.push(record) }],
    });
    await keel.call(request);
    await keel.flush();
    expect(records[0]!.id).toBeUndefined();
  });
});
