import { LedgerStore, SqliteStorage } from '@keel/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, type ExampleConnection } from '../shared/connect.ts';
import { chatAndReport } from './cost-tracking.ts';

const storage = new SqliteStorage({ path: ':memory:' });
const ledger = new LedgerStore({ storage });
let connection: ExampleConnection;
beforeAll(async () => {
  delete process.env.ANTHROPIC_API_KEY;
  connection = await connect({ client: { ledger } });
});
afterAll(async () => {
  await connection?.close();
  await storage.close();
});

it('reports each session with its own calls and exact cost', async () => {
  const report = await chatAndReport(connection.keel, ledger, {
    'session-a': ['What is a prompt cache?', 'And how long does it live?'],
    'session-b': ['Summarize HTTP caching in two sentences.'],
  });
  expect(report.map((row) => [row.session, row.calls])).toEqual([
    ['session-a', 2],
    ['session-b', 1],
  ]);
  for (const row of report) expect(Number(row.costUsd)).toBeGreaterThan(0);
  const all = await ledger.total({ feature: 'chat' });
  expect(all.requests).toBe(3);
  const sum = report.reduce((total, row) => total + Number(row.costUsd), 0);
  expect(sum).toBeCloseTo(Number(all.costUsdText), 12);
});
