import { KeelError, ValidationError } from '@keel/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCost } from '../cost/compute-cost.ts';
import type { Storage } from '../storage/storage.ts';
import {
  createTestStorageEngine,
  testDialects,
  type TestStorageEngine,
} from '../storage/test-engines.ts';
import {
  BudgetExceededError,
  BudgetReservationClosedError,
  BudgetUnpricedModelError,
} from './budget-exceeded-error.ts';
import { parseBudgetLimits, type BudgetLimitConfig } from './budget-limit.ts';
import { BudgetManager, type ReserveOptions } from './budget-manager.ts';

// Haiku 4.5, no cache writes: 1000 × $1 + 1000 × $5 per MTok = $0.006 worst case per call.
const call = (tags: ReserveOptions['tags']): ReserveOptions => ({
  tags,
  model: 'claude-haiku-4-5',
  estimatedInputTokens: 1000,
  maxOutputTokens: 1000,
  cacheWriteTtl: null,
});
// 1000 × $1 + 200 × $5 per MTok = $0.002
const smallCost = computeCost({
  model: 'claude-haiku-4-5',
  usage: { input_tokens: 1000, output_tokens: 200 },
});

const limits: BudgetLimitConfig[] = [
  { scope: 'user', period: 'day', maxUsd: '0.01' },
  { id: 'feature-tokens', scope: 'feature', key: 'f-tokens', period: 'total', maxTokens: 5000 },
  { id: 'session-month', scope: 'session', period: 'month', maxUsd: 0.01 },
  { id: 'vip-only', scope: 'user', key: 'vip', period: 'total', maxUsd: '0.001' },
  { id: 'priced-feature', scope: 'feature', key: 'f-priced', period: 'total', maxUsd: '1' },
];

describe.each(testDialects)('BudgetManager on %s', (dialect) => {
  let engine: TestStorageEngine;
  let storage: Storage;
  let now = new Date('2026-03-01T12:00:00Z');
  let budgets: BudgetManager;

  beforeAll(async () => {
    engine = await createTestStorageEngine(dialect);
    storage = await engine.open();
    budgets = new BudgetManager({
      storage,
      limits,
      now: () => now,
      reservationTtlMs: 60_000,
    });
  });
  afterAll(() => engine.cleanup());

  it('refuses with a typed error naming the scope, period, limit, spent and reserved', async () => {
    now = new Date('2026-03-01T12:00:00Z');
    const first = await budgets.reserve(call({ user: 'u-refusal' }));
    expect(first.picoUsd).toBe(6_000_000_000n);
    const refusal = await budgets.reserve(call({ user: 'u-refusal' })).catch((error) => error);
    expect(refusal).toBeInstanceOf(BudgetExceededError);
    expect(refusal).toBeInstanceOf(KeelError);
    expect(refusal.code).toBe('budget_exceeded');
    expect(refusal.details).toEqual({
      limitId: 'user:*:day',
      scope: 'user',
      scopeKey: 'u-refusal',
      period: 'day',
      periodStart: '2026-03-01',
      unit: 'usd',
      limit: '0.01',
      spent: '0',
      reserved: '0.006',
      requested: '0.006',
    });
    expect(await first.settle({ cost: smallCost })).toEqual({
      picoUsd: 2_000_000_000n,
      tokens: 1200,
    });
    const second = await budgets.reserve(call({ user: 'u-refusal' }));
    const again = await budgets.reserve(call({ user: 'u-refusal' })).catch((error) => error);
    expect(again.details).toMatchObject({ spent: '0.002', reserved: '0.006' });
    await second.release();
  });

  it('enforces token limits on worst-case and actual tokens', async () => {
    const tags = { feature: 'f-tokens' };
    const a = await budgets.reserve(call(tags)); // 2000 tokens held
    const b = await budgets.reserve(call(tags)); // 4000
    const refusal = await budgets.reserve(call(tags)).catch((error) => error);
    expect(refusal.details).toMatchObject({
      limitId: 'feature-tokens',
      unit: 'tokens',
      limit: '5000',
      spent: '0',
      reserved: '4000',
      requested: '2000',
    });
    await a.settle({ cost: smallCost }); // 1200 tokens spent
    await b.release();
    const c = await budgets.reserve(call(tags)); // 1200 + 2000 held
    await expect(budgets.reserve(call(tags))).rejects.toThrow(BudgetExceededError); // 5200 > 5000
    await c.settle({ tokens: 1800, picoUsd: 1n });
    const [standing] = await budgets.standing(tags);
    expect(standing?.spent).toEqual({ picoUsd: 2_000_000_001n, tokens: 3000n });
    expect(standing?.reserved).toEqual({ picoUsd: 0n, tokens: 0n });
  });

  it('starts a fresh allowance when the day or month rolls over', async () => {
    now = new Date('2026-03-31T23:59:00Z');
    const tags = { user: 'u-rollover', session: 's-rollover' };
    await (await budgets.reserve(call(tags))).settle({ picoUsd: 6_000_000_000n });
    now = new Date('2026-03-31T23:59:59.999Z');
    const refusal = await budgets.reserve(call(tags)).catch((error) => error);
    expect(refusal.details).toMatchObject({ periodStart: '2026-03' }); // the session's month limit, first in lock order
    now = new Date('2026-04-01T00:00:00Z');
    const next = await budgets.reserve(call(tags));
    expect(next.limitIds).toEqual(['session-month', 'user:*:day']);
    await next.release();
    const standings = await budgets.standing(tags);
    expect(standings.map((s) => [s.limit.id, s.periodStart, s.spent.picoUsd])).toEqual([
      ['session-month', '2026-04', 0n],
      ['user:*:day', '2026-04-01', 0n],
    ]);
  });

  it('reclaims a reservation whose process died once its TTL passes', async () => {
    now = new Date('2026-03-05T10:00:00Z');
    const tags = { user: 'u-crashed' };
    const abandoned = await budgets.reserve(call(tags));
    expect(abandoned.expiresAt).toEqual(new Date('2026-03-05T10:01:00Z'));
    await (await budgets.reserve(call({ user: 'u-other' }))).release();
    await expect(budgets.reserve(call(tags))).rejects.toThrow(BudgetExceededError);
    now = new Date('2026-03-05T10:01:00Z');
    const after = await budgets.reserve(call(tags));
    expect((await budgets.standing(tags))[0]?.reserved.picoUsd).toBe(6_000_000_000n);
    await after.release();
  });

  it('releases holds, and closes a reservation after one settle or release', async () => {
    now = new Date('2026-03-06T10:00:00Z');
    const tags = { user: 'u-release' };
    const a = await budgets.reserve(call(tags));
    await a.release();
    await expect(a.settle({ cost: smallCost })).rejects.toThrow(BudgetReservationClosedError);
    const b = await budgets.reserve(call(tags));
    await b.settle({ cost: smallCost });
    await expect(b.release()).rejects.toThrow(BudgetReservationClosedError);
  });

  it('applies a keyed limit only to its key', async () => {
    now = new Date('2026-03-07T10:00:00Z');
    await expect(budgets.reserve(call({ user: 'vip' }))).rejects.toMatchObject({
      details: { limitId: 'vip-only' },
    });
    const other = await budgets.reserve(call({ user: 'not-vip' }));
    expect(other.limitIds).toEqual(['user:*:day']);
    await other.release();
  });

  it('holds nothing when no limit applies', async () => {
    const free = await budgets.reserve(call({ feature: 'unlimited' }));
    expect(free.limitIds).toEqual([]);
    expect(await free.settle({ cost: smallCost })).toEqual({
      picoUsd: 2_000_000_000n,
      tokens: 1200,
    });
  });

  it('refuses an unpriced model under a money limit, not under a token limit', async () => {
    const unknown = { ...call({ feature: 'f-priced' }), model: 'claude-mystery-9' };
    await expect(budgets.reserve(unknown)).rejects.toThrow(BudgetUnpricedModelError);
    const tokensOnly = await budgets.reserve({ ...unknown, tags: { feature: 'f-tokens-2' } });
    await tokensOnly.release();
  });

  it('charges the worst case when the actual cost is unpriced', async () => {
    const reservation = await budgets.reserve(call({ feature: 'f-priced' }));
    const unpriced = computeCost({
      model: 'claude-mystery-9',
      usage: { input_tokens: 1, output_tokens: 1 },
    });
    expect(await reservation.settle({ cost: unpriced })).toEqual({
      picoUsd: 6_000_000_000n,
      tokens: 2,
    });
  });
});

describe('budget limits as data', () => {
  it('validates limits and derives ids', () => {
    const [limit] = parseBudgetLimits([{ scope: 'global', period: 'month', maxUsd: 250 }]);
    expect(limit).toEqual({
      id: 'global:*:month',
      scope: 'global',
      key: null,
      period: 'month',
      maxPicoUsd: 250_000_000_000_000n,
      maxTokens: null,
    });
  });

  it('rejects limits without a cap, keyed global limits, bad amounts and duplicate ids', () => {
    expect(() => parseBudgetLimits([{ scope: 'user', period: 'day' }])).toThrow(ValidationError);
    expect(() =>
      parseBudgetLimits([{ scope: 'global', key: 'x', period: 'day', maxUsd: 1 }]),
    ).toThrow(ValidationError);
    expect(() => parseBudgetLimits([{ scope: 'user', period: 'day', maxUsd: '-1' }])).toThrow(
      ValidationError,
    );
    expect(() => parseBudgetLimits([{ scope: 'user', period: 'week', maxUsd: 1 }])).toThrow(
      ValidationError,
    );
    expect(() =>
      parseBudgetLimits([
        { scope: 'user', period: 'day', maxUsd: 1 },
        { scope: 'user', period: 'day', maxTokens: 1 },
      ]),
    ).toThrow(ValidationError);
  });
});
