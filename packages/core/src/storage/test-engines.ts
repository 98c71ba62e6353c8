import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from './open-storage.ts';
import { createPostgresTestSchema } from './postgres-test-schema.ts';
import type { Storage, StorageDialect } from './storage.ts';

/**
 * A fresh, isolated database for a test suite: a SQLite file in a temp folder, or a unique
 * PostgreSQL schema. `open()` may be called several times for several connections to it.
 */
export interface TestStorageEngine {
  /** Which engine. */
  dialect: StorageDialect;
  /** The URL to reach it (also from a child process). */
  url: string;
  /** The PostgreSQL schema, when there is one. */
  schema?: string;
  /** Opens a new connection (pool) to the database; closed by `cleanup`. */
  open(options?: { now?: () => number }): Promise<Storage>;
  /** Closes every opened connection and deletes the data. */
  cleanup(): Promise<void>;
}

/** True when PostgreSQL tests can run (KEEL_TEST_POSTGRES_URL is set). */
export const postgresTestUrl = process.env.KEEL_TEST_POSTGRES_URL;

/** Creates a test database of the given engine. */
export async function createTestStorageEngine(dialect: StorageDialect): Promise<TestStorageEngine> {
  const opened: Storage[] = [];
  const track = (storage: Storage) => {
    opened.push(storage);
    return storage;
  };
  const closeAll = () => Promise.all(opened.map((storage) => storage.close()));
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'keel-storage-'));
    const url = `sqlite:${join(dir, 'keel.db')}`;
    return {
      dialect,
      url,
      open: async (options = {}) => track(await openStorage({ url, ...options })),
      cleanup: async () => {
        await closeAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const test = await createPostgresTestSchema(postgresTestUrl);
  if (!test) throw new Error('KEEL_TEST_POSTGRES_URL is not set');
  return {
    dialect,
    url: test.url,
    schema: test.schema,
    open: async (options = {}) =>
      track(await openStorage({ url: test.url, schema: test.schema, ...options })),
    cleanup: async () => {
      await closeAll();
      await test.drop();
    },
  };
}

/** The engines to run a storage-backed suite against: SQLite always, PostgreSQL when configured. */
export const testDialects: StorageDialect[] = postgresTestUrl ? ['sqlite', 'postgres'] : ['sqlite'];
