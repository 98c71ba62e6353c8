import { computeCost, LedgerStore, SqliteStorage } from '@keel/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, type ExampleConnection } from '../shared/connect.ts';
import { classifyReviews, sampleReviews, scenarios } from './batch-classification.ts';

let connection: ExampleConnection;
const storage = new SqliteStorage({ path: ':memory:' });
beforeAll(async () => {
  delete process.env.ANTHROPIC_API_KEY;
  connection = await connect({ scenarios });
});
afterAll(async () => {
  await connection?.close();
  await storage.close();
});

it('labels every review by id and books the batch at half price', async () => {
  const ledger = new LedgerStore({ storage });
  const result = await classifyReviews(connection.keel, sampleReviews, {
    storage,
    ledger,
    pollIntervalMs: 5,
  });
  expect(result.labels).toEqual({ r1: 'positive', r2: 'negative', r3: 'neutral' });
  const entries = await ledger.list({ feature: 'review-classification' });
  expect(entries).toHaveLength(3);
  for (const entry of entries) {
    expect(entry.batch).toBe(true);
    const full = computeCost({
      model: entry.modelServed!,
      usage: {
        input_tokens: entry.tokens.input,
        output_tokens: entry.tokens.output,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
    expect(full.priced && entry.costPicoUsd! * 2n === full.picoUsd).toBe(true);
  }
  expect(result.costUsd).toBeGreaterThan(0);
});
