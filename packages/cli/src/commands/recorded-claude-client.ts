import { createKeel, keelCaller, LedgerStore, openStorage, type KeelClient } from '@keel/core';
import type { MessagesClient } from '@keel/knowledge';

/** A Claude client for a CLI command whose calls land in the ledger, and how to close it. */
export interface RecordedClaudeClient {
  /** The client, shaped as the knowledge base expects. */
  client: MessagesClient;
  /** Writes what is queued (ledger rows) and closes the storage. */
  close(): Promise<void>;
}

/**
 * Calls Claude through Keel's client (retries, exact cost) with every call recorded in the
 * ledger under `feature`, so `keel usage` shows what a command spent. The ledger lives where the
 * other commands keep it: `KEEL_DATABASE_URL`, else `keel.db` in `KEEL_DATA_DIR` or `.keel`.
 * Without `connection`, the API key and base URL come from the environment.
 */
export async function openRecordedClaudeClient(options: {
  feature: string;
  connection?: { apiKey: string; baseURL: string };
}): Promise<RecordedClaudeClient> {
  const storage = await openStorage({ url: process.env['KEEL_DATABASE_URL'] });
  let keel: KeelClient;
  try {
    // The ledger creates or upgrades its tables on its first write, not here.
    keel = createKeel({
      ...options.connection,
      logger: false,
      ledger: new LedgerStore({ storage }),
    });
  } catch (error) {
    await storage.close();
    throw error;
  }
  return {
    client: { messages: keelCaller(keel, { tags: { feature: options.feature } }) },
    async close() {
      try {
        await keel.close();
      } finally {
        await storage.close();
      }
    },
  };
}
