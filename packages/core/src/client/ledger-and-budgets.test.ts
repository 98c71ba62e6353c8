import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetExceededError } from '../budget/budget-exceeded-error.ts';
import { BudgetManager } from '../budget/budget-manager.ts';
import { LedgerStore } from '../ledger/ledger-store.ts';
import { SqliteStorage } from '../storage/sqlite-storage.ts';
import { createKeel } from './create-keel.ts';
import { StreamInterruptedError } from './stream-interrupted-error.ts';

let emulator: EmulatorHandle;
let directory: string;
let storage: SqliteStorage;

beforeAll(async () => {
  emulator = await startEmulator();
  directory = mkdtempSync(join(tmpdir(), 'keel-client-ledger-'));
  storage = new SqliteStorage({ path: join(directory, 'keel.db') });
});
afterAll(async () => {
  await emulator.close();
  await storage.close();
  rmSync(directory, { recursive: true, force: true });
});

const request = {
  model: 'claude-haiku-4-5-20251001',
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'Where is my order?' }],
};

describe('the ledger on the call path (real SQLite file)', () => {
  it('records every call with tags, models, request id, retries and exact cost; close() flushes', async () => {
    const ledger = new LedgerStore({ storage });
    const keel = createKeel({ apiKey: 'k', baseURL: emulator.url, logger: false, ledger });
    emulator.state.faults.setRules([{ type: 'overloaded', count: 1 }]);
    const result = await keel.call(request, {
      tags: { feature: 'orders', user: 'u-1', session: 's-1' },
    });
    emulator.state.faults.setRules([{ type: 'stream_error', afterTokens: 4, count: 1 }]);
    const broken = await keel
      .stream(
        {
          ...request,
          max_tokens: 800,
          messages: [{ role: 'user', content: 'detail '.repeat(80) }],
        },
        { tags: { feature: 'orders' } },
      )
      .result()
      .catch((caught: unknown) => caught);
    expect(broken).toBeInstanceOf(StreamInterruptedError);
    await keel.close();
    const entries = await ledger.list({ feature: 'orders' });
    expect(entries).toHaveLength(2);
    const success = entries.find((entry) => entry.requestId === result.requestId)!;
    expect(success).toMatchObject({
      modelRequested: 'claude-haiku-4-5-20251001',
      modelServed: 'claude-haiku-4-5-20251001',
      retries: 1,
      stopReason: 'end_turn',
      partial: false,
      errorCode: null,
      tags: { feature: 'orders', user: 'u-1', session: 's-1' },
    });
    expect(success.costPicoUsd).toBe(result.cost.priced ? result.cost.picoUsd : -1n);
    const partial = entries.find((entry) => entry.errorCode === 'stream_interrupted')!;
    expect(partial.partial).toBe(true);
    expect(partial.tokens.input).toBeGreaterThan(0);
    expect(partial.tokens.output).toBeGreaterThan(0);
    expect(partial.costPicoUsd! > 0n).toBe(true);
  });
});

describe('budgets on the call path', () => {
  it('reserves the worst case, settles to the actual cost, and refuses once the limit would pass', async () => {
    const budgets = new BudgetManager({
      storage,
      // Haiku: $1/MTok in, $5/MTok out. max_tokens 100 alone can cost $0.0005.
      limits: [{ id: 'per-user-daily', scope: 'user', period: 'day', maxUsd: '0.0012' }],
    });
    const keel = createKeel({ apiKey: 'k', baseURL: emulator.url, logger: false, budgets });
    const tags = { user: 'budget-user' };
    const first = await keel.call(request, { tags });
    const [standing] = await budgets.standing(tags);
    expect(standing!.spent.picoUsd).toBe(first.cost.priced ? first.cost.picoUsd : -1n);
    expect(standing!.reserved.picoUsd).toBe(0n);
    let refused: unknown;
    for (let i = 0; i < 20 && !refused; i++) {
      refused = await keel.call(request, { tags }).then(
        () => undefined,
        (error: unknown) => error,
      );
    }
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect((refused as BudgetExceededError).details).toMatchObject({
      limitId: 'per-user-daily',
      scope: 'user',
      scopeKey: 'budget-user',
    });
    const [after] = await budgets.standing(tags);
    expect(after!.spent.picoUsd <= 1_200_000_000n).toBe(true); // $0.0012 in picodollars
    expect(after!.reserved.picoUsd).toBe(0n);
    // Another user is unaffected.
    await expect(keel.call(request, { tags: { user: 'someone-else' } })).resolves.toBeDefined();
  });
});
