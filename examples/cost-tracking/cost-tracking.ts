import { LedgerStore, type KeelClient } from '@keel/core';
import { connect, isMain } from '../shared/connect.ts';

/** What one chat session has cost so far. */
export interface SessionCost {
  /** The session id. */
  session: string;
  /** Calls made. */
  calls: number;
  /** Exact cost, decimal USD text. */
  costUsd: string;
}

/**
 * Every Keel call carries a `session` tag and lands in the ledger, so the cost of a session is a
 * query, not bookkeeping in application code.
 */
export async function chatAndReport(
  keel: KeelClient,
  ledger: LedgerStore,
  conversations: Record<string, string[]>,
): Promise<SessionCost[]> {
  for (const [session, questions] of Object.entries(conversations)) {
    for (const question of questions) {
      await keel.call(
        {
          model: 'claude-haiku-5-5',
          max_tokens: 1024,
          messages: [{ role: 'user', content: question }],
        },
        { tags: { feature: 'chat', session } },
      );
    }
  }
  await keel.flush();
  const report: SessionCost[] = [];
  for (const session of Object.keys(conversations)) {
    const total = await ledger.total({ session });
    report.push({ session, calls: total.requests, costUsd: total.costUsdText });
  }
  return report;
}

if (isMain(import.meta.url)) {
  const { SqliteStorage } = await import('@keel/core');
  const storage = new SqliteStorage({ path: ':memory:' });
  const ledger = new LedgerStore({ storage });
  const connection = await connect({ client: { ledger } });
  try {
    console.table(
      await chatAndReport(connection.keel, ledger, {
        'session-a': ['What is a prompt cache?', 'And how long does it live?'],
        'session-b': ['Summarize HTTP caching in two sentences.'],
      }),
    );
  } finally {
    await connection.close();
    await storage.close();
  }
}
