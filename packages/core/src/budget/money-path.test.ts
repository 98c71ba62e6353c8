import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCost } from '../cost/compute-cost.ts';
import { estimateMaxCost } from '../cost/estimate-max-cost.ts';
import { ledgerCostFields } from '../ledger/ledger-entry.ts';
import { LedgerStore } from '../ledger/ledger-store.ts';
import { createTestStorageEngine, type TestStorageEngine } from '../storage/test-engines.ts';
import { BudgetManager } from './budget-manager.ts';

// Sonnet 4.5 list prices in picodollars per token ($/MTok × 1e6): input $3, 5m write $3.75,
// cache read $0.30, output $15.
const sonnet46 = { input: 3_000_000n, write5m: 3_750_000n, read: 300_000n, output: 15_000_000n };

describe('the money path against the emulator', () => {
  let emulator: EmulatorHandle;
  let engine: TestStorageEngine;
  let client: Anthropic;

  beforeAll(async () => {
    emulator = await startEmulator();
    client = new Anthropic({ apiKey: 'test-key', baseURL: emulator.url, maxRetries: 0 });
    engine = await createTestStorageEngine('sqlite');
  });
  afterAll(async () => {
    await engine.cleanup();
    await emulator.close();
  });

  it('reserves, calls, prices, records and settles two cached calls exactly', async () => {
    const storage = await engine.open();
    const ledger = new LedgerStore({ storage });
    const budgets = new BudgetManager({
      storage,
      limits: [{ scope: 'user', period: 'day', maxUsd: '1' }],
    });
    const system = [
      {
        type: 'text' as const,
        text: 'You are a careful assistant for an accounting product. '.repeat(200),
        cache_control: { type: 'ephemeral' as const },
      },
    ];
    const costs: bigint[] = [];
    const usages = [];
    for (const question of ['What is a ledger?', 'What is a budget?']) {
      const params = {
        model: 'claude-sonnet-4-6',
        max_tokens: 200,
        system,
        messages: [{ role: 'user' as const, content: question }],
      };
      const { input_tokens: estimatedInputTokens } = await client.messages.countTokens({
        model: params.model,
        system,
        messages: params.messages,
      });
      const reservation = await budgets.reserve({
        tags: { user: 'emma' },
        model: params.model,
        estimatedInputTokens,
        maxOutputTokens: params.max_tokens,
        cacheWriteTtl: '5m',
      });
      const message = await client.messages.create(params);
      const cost = computeCost({ model: message.model, usage: message.usage });
      if (!cost.priced) throw new Error('expected a priced cost');
      // The priced amount is exactly the usage times the list prices.
      const { usage } = message;
      expect(cost.picoUsd).toBe(
        BigInt(usage.input_tokens) * sonnet46.input +
          BigInt(usage.cache_creation_input_tokens ?? 0) * sonnet46.write5m +
          BigInt(usage.cache_read_input_tokens ?? 0) * sonnet46.read +
          BigInt(usage.output_tokens) * sonnet46.output,
      );
      expect(cost.picoUsd).toBeLessThanOrEqual(reservation.picoUsd);
      await ledger.record({
        modelRequested: params.model,
        modelServed: message.model,
        requestId: message.id,
        tags: { user: 'emma', feature: 'faq' },
        durationMs: 1,
        stopReason: message.stop_reason,
        ...ledgerCostFields(cost),
      });
      await reservation.settle({ cost });
      costs.push(cost.picoUsd);
      usages.push(usage);
    }
    expect(usages[0]?.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(usages[1]?.cache_read_input_tokens).toBeGreaterThan(0);
    const total = costs[0]! + costs[1]!;
    expect((await ledger.total({ user: 'emma' })).costPicoUsd).toBe(total);
    const [standing] = await budgets.standing({ user: 'emma' });
    expect(standing?.spent.picoUsd).toBe(total);
    const [faq] = await ledger.summarize({ groupBy: 'feature' });
    expect(faq?.cacheHitRatio).toBeGreaterThan(0);
    expect(
      estimateMaxCost({ model: 'claude-sonnet-4-6', inputTokens: 1, maxOutputTokens: 1 }).priced,
    ).toBe(true);
  });
});
