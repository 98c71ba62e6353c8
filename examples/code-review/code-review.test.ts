import { LedgerStore, SqliteStorage } from '@keel/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, type ExampleConnection } from '../shared/connect.ts';
import { reviewCode, sampleDiff, scenarios } from './code-review.ts';

let connection: ExampleConnection;
const storage = new SqliteStorage({ path: ':memory:' });
const ledger = new LedgerStore({ storage });

beforeAll(async () => {
  delete process.env.ANTHROPIC_API_KEY;
  connection = await connect({ scenarios, client: { ledger } });
});
afterAll(async () => {
  await connection?.close();
  await storage.close();
});

it('returns a typed review that rejects the SQL injection, tagged with the prompt version', async () => {
  const review = await reviewCode(connection.keel, sampleDiff);
  expect(review.approved).toBe(false);
  expect(review.issues[0]).toMatchObject({ severity: 'critical', category: 'security' });
  await connection.keel.flush();
  const [entry] = await ledger.list({ feature: 'code-review' });
  expect(entry?.tags.promptId).toBe('code-review');
  expect(entry?.tags.promptVersion).toMatch(/^[0-9a-f]{8,}$/);
});
