import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetManager } from '../budget/budget-manager.ts';
import { defaultModelCatalog } from '@keel/models';
import type { Storage } from '../storage/storage.ts';
import {
  createTestStorageEngine,
  testDialects,
  type TestStorageEngine,
} from '../storage/test-engines.ts';
import type { CallInstance } from './call-instance.ts';
import { currentCallInstance } from './call-instance.ts';
import { LedgerStore } from './ledger-store.ts';
import {
  estimateInterruptedSpend,
  reconcileInterruptedCalls,
} from './reconcile-interrupted-calls.ts';

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid;
}

const self = currentCallInstance();
const model = 'claude-sonnet-4-6';
const start = Date.parse('2026-03-01T10:00:00Z');

describe.each(testDialects)('calls recorded at their start, on %s', (dialect) => {
  let engine: TestStorageEngine;
  let storage: Storage;
  let ledger: LedgerStore;
  let budgets: BudgetManager;
  let nowMs = start;
  const now = () => new Date(nowMs);

  beforeAll(async () => {
    engine = await createTestStorageEngine(dialect);
    storage = await engine.open();
    ledger = new LedgerStore({ storage, now });
    budgets = new BudgetManager({
      storage,
      now,
      limits: [{ id: 'daily', scope: 'user', period: 'day', maxUsd: '10' }],
    });
  });
  afterAll(() => engine.cleanup());

  const started = async (
    id: string,
    options: { instance?: CallInstance; deadlineMs?: number; reservationId?: string } = {},
  ) => {
    await ledger.recordStarted({
      id,
      time: new Date(nowMs),
      modelRequested: model,
      tags: { user: `user-${id}`, feature: 'chat' },
      reservationId: options.reservationId ?? null,
      facts: {
        models: [model, 'claude-haiku-4-5'],
        estimatedInputTokens: 2000,
        maxOutputTokens: 1000,
        inferenceGeo: null,
        instance: options.instance ?? self,
        deadlineMs: options.deadlineMs ?? nowMs + 60_000,
      },
    });
  };

  it('writes a started row that the finished call replaces, keeping its reservation', async () => {
    await started('a1', { reservationId: 'res-a1' });
    expect(await ledger.get('a1')).toMatchObject({
      status: 'started',
      reservationId: 'res-a1',
      costPicoUsd: 0n,
      start: { estimatedInputTokens: 2000, maxOutputTokens: 1000 },
    });
    await ledger.recordMany([
      {
        id: 'a1',
        modelRequested: model,
        modelServed: model,
        durationMs: 900,
        tokens: { input: 1500, output: 300 },
        costPicoUsd: 9_000_000_000n,
      },
    ]);
    const finished = await ledger.get('a1');
    expect(finished).toMatchObject({
      status: 'complete',
      estimated: false,
      reservationId: 'res-a1',
      durationMs: 900,
      costPicoUsd: 9_000_000_000n,
      tokens: { input: 1500, output: 300 },
    });
    // A repeat of a finished call's id still keeps the first entry.
    await ledger.record({ id: 'a1', modelRequested: model, durationMs: 1, costPicoUsd: 1n });
    expect((await ledger.get('a1'))!.costPicoUsd).toBe(9_000_000_000n);
    expect((await ledger.startedCalls()).map((call) => call.id)).not.toContain('a1');
  });

  it('leaves the calls of a live process alone until their deadline', async () => {
    await started('b1');
    const report = await reconcileInterruptedCalls({ ledger, budgets, now });
    expect(report.interrupted).toEqual([]);
    expect(report.maybeLive).toBe(1);
    expect((await ledger.get('b1'))!.status).toBe('started');

    // Another host's process is never judged by pid: only the deadline closes its rows.
    await started('b2', { instance: { id: 'other', host: 'elsewhere', pid: deadPid() } });
    // Nor is another pid namespace on this host (another container): its pids are not ours.
    await started('b3', {
      instance: { id: 'container', host: self.host, pid: deadPid(), pidSpace: 'pid:[1]' },
    });
    expect((await reconcileInterruptedCalls({ ledger, budgets, now })).interrupted).toEqual([]);

    nowMs += 60_001;
    const later = await reconcileInterruptedCalls({ ledger, budgets, now });
    expect(later.interrupted.sort()).toEqual(['b1', 'b2', 'b3']);
    expect((await ledger.get('b1'))!.status).toBe('interrupted');
  });

  it('closes a dead process call: interrupted, estimated spend, hold turned into spend', async () => {
    const reservation = await budgets.reserve({
      tags: { user: 'user-c1' },
      model,
      estimatedInputTokens: 2000,
      maxOutputTokens: 1000,
    });
    const before = await budgets.standing({ user: 'user-c1' });
    expect(before[0]!.reserved.picoUsd).toBe(reservation.picoUsd);
    const dead: CallInstance = {
      id: 'crashed',
      host: self.host,
      pid: deadPid(),
      pidSpace: self.pidSpace,
    };
    await started('c1', { instance: dead, reservationId: reservation.id });

    const report = await reconcileInterruptedCalls({ ledger, budgets, now });
    expect(report.interrupted).toEqual(['c1']);

    const call = (await ledger.get('c1'))!;
    const estimate = estimateInterruptedSpend(call, defaultModelCatalog());
    expect(estimate.cost.priced).toBe(true);
    const estimated = estimate.cost.priced ? estimate.cost.picoUsd : 0n;
    // Input 2000 and output 1000 at the dearer of Sonnet 4.6 and Haiku 4.5 ($3 / $15 per MTok).
    expect(estimated).toBe(2000n * 3_000_000n + 1000n * 15_000_000n);
    expect(call).toMatchObject({
      status: 'interrupted',
      estimated: true,
      partial: true,
      errorCode: 'interrupted',
      costPicoUsd: estimated,
      tokens: { input: 2000, output: 1000 },
    });
    expect(estimated).toBeLessThanOrEqual(reservation.picoUsd);

    const after = await budgets.standing({ user: 'user-c1' });
    expect(after[0]!.reserved.picoUsd).toBe(0n);
    expect(after[0]!.spent.picoUsd).toBe(estimated);
    expect(report.chargedPicoUsd).toBe(estimated);

    const total = await ledger.total({ user: 'user-c1' });
    expect(total).toMatchObject({ estimatedRequests: 1, estimatedCostPicoUsd: estimated });

    // A second run (or a second process) finds nothing left to do and charges nothing more.
    const again = await reconcileInterruptedCalls({ ledger, budgets, now });
    expect(again.interrupted).toEqual([]);
    expect((await budgets.standing({ user: 'user-c1' }))[0]!.spent.picoUsd).toBe(estimated);
  });

  it('charges a lost call once when several processes reconcile at the same time', async () => {
    const reservation = await budgets.reserve({
      tags: { user: 'user-d1' },
      model,
      estimatedInputTokens: 2000,
      maxOutputTokens: 1000,
    });
    const dead: CallInstance = {
      id: 'crashed-2',
      host: self.host,
      pid: deadPid(),
      pidSpace: self.pidSpace,
    };
    await started('d1', { instance: dead, reservationId: reservation.id });
    const second = await engine.open();
    const otherLedger = new LedgerStore({ storage: second, now });
    const otherBudgets = new BudgetManager({ storage: second, now, limits: budgets.limits });
    const reports = await Promise.all([
      reconcileInterruptedCalls({ ledger, budgets, now }),
      reconcileInterruptedCalls({ ledger: otherLedger, budgets: otherBudgets, now }),
    ]);
    expect(reports.flatMap((report) => report.interrupted)).toEqual(['d1']);
    const charged = reports.reduce((sum, report) => sum + report.chargedPicoUsd, 0n);
    const spent = (await budgets.standing({ user: 'user-d1' }))[0]!.spent.picoUsd;
    expect(spent).toBe(charged);
    expect(spent).toBe((await ledger.get('d1'))!.costPicoUsd);
  });

  it('charges nothing for a call whose hold is already gone (it was settled)', async () => {
    const reservation = await budgets.reserve({
      tags: { user: 'user-e1' },
      model,
      estimatedInputTokens: 2000,
      maxOutputTokens: 1000,
    });
    await started('e1', { reservationId: reservation.id, deadlineMs: nowMs });
    await reservation.settle({ picoUsd: 5n, tokens: 10 });
    const report = await reconcileInterruptedCalls({ ledger, budgets, now });
    expect(report.interrupted).toEqual(['e1']);
    expect(report.chargedPicoUsd).toBe(0n);
    expect((await budgets.standing({ user: 'user-e1' }))[0]!.spent.picoUsd).toBe(5n);
  });
});
