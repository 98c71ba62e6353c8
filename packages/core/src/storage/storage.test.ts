import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@keel/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDatabasePath, openStorage } from './open-storage.ts';
import { PostgresStorage, toPostgresPlaceholders } from './postgres-storage.ts';
import { sqlBigInt, sqlBoolean, sqlNumber } from './sql-values.ts';
import { SqliteStorage, StorageLockTimeoutError } from './sqlite-storage.ts';
import { SqliteWriteThread } from './sqlite-write-thread.ts';
import { StorageWriteError } from './storage-write-error.ts';
import type { FeatureMigrations, Storage } from './storage.ts';
import { createTestStorageEngine, testDialects, type TestStorageEngine } from './test-engines.ts';

const notes: FeatureMigrations = {
  feature: 'notes',
  migrations: [
    {
      version: 1,
      name: 'notes table',
      sql: 'CREATE TABLE notes (id TEXT PRIMARY KEY, amount BIGINT NOT NULL, flag INTEGER NOT NULL)',
    },
  ],
};

const notesV2: FeatureMigrations = {
  feature: 'notes',
  migrations: [
    ...notes.migrations,
    {
      version: 2,
      name: 'note body',
      sql: {
        sqlite: 'ALTER TABLE notes ADD COLUMN body TEXT',
        postgres: 'ALTER TABLE notes ADD COLUMN body TEXT',
      },
    },
  ],
};

describe.each(testDialects)('storage on %s', (dialect) => {
  let engine: TestStorageEngine;
  let storage: Storage;

  beforeAll(async () => {
    engine = await createTestStorageEngine(dialect);
    storage = await engine.open();
  });
  afterAll(() => engine.cleanup());

  it('applies each migration version once, and later versions incrementally', async () => {
    expect(await storage.migrate(notes)).toEqual({ feature: 'notes', applied: [1], version: 1 });
    expect(await storage.migrate(notes)).toEqual({ feature: 'notes', applied: [], version: 1 });
    expect(await storage.migrate(notesV2)).toEqual({ feature: 'notes', applied: [2], version: 2 });
    const rows = await storage.query(
      'SELECT feature, version, name FROM keel_schema_migrations WHERE feature = ? ORDER BY version',
      ['notes'],
    );
    expect(rows.map((row) => [row.feature, sqlNumber(row.version), row.name])).toEqual([
      ['notes', 1, 'notes table'],
      ['notes', 2, 'note body'],
    ]);
  });

  it('lets several connections migrate at once without applying twice', async () => {
    const others = await Promise.all([engine.open(), engine.open(), engine.open()]);
    const feature: FeatureMigrations = {
      feature: 'racing',
      migrations: [{ version: 1, name: 'racing', sql: 'CREATE TABLE racing (id INTEGER)' }],
    };
    const reports = await Promise.all(others.map((other) => other.migrate(feature)));
    expect(reports.flatMap((report) => report.applied)).toEqual([1]);
  });

  it('round-trips integers beyond 2^53, flags and nulls', async () => {
    const big = 9_000_000_000_000_000_123n;
    await storage.execute('INSERT INTO notes (id, amount, flag, body) VALUES (?, ?, ?, ?)', [
      'big',
      big,
      true,
      null,
    ]);
    const [row] = await storage.query('SELECT amount, flag, body FROM notes WHERE id = ?', ['big']);
    expect(sqlBigInt(row?.amount)).toBe(big);
    expect(sqlBoolean(row?.flag)).toBe(true);
    expect(row?.body).toBeNull();
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await storage.transaction((tx) =>
      tx.execute('INSERT INTO notes (id, amount, flag) VALUES (?, ?, ?)', ['kept', 1, 0]),
    );
    await expect(
      storage.transaction(async (tx) => {
        await tx.execute('INSERT INTO notes (id, amount, flag) VALUES (?, ?, ?)', ['lost', 2, 0]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await storage.query('SELECT id FROM notes WHERE id IN (?, ?) ORDER BY id', [
      'kept',
      'lost',
    ]);
    expect(rows.map((row) => row.id)).toEqual(['kept']);
  });

  it('writes a batch in one transaction: every row, or none when one fails', async () => {
    const insert = 'INSERT INTO notes (id, amount, flag) VALUES (?, ?, ?)';
    await storage.executeMany(insert, []);
    await storage.executeMany(insert, [
      ['batch-a', 1, true],
      ['batch-b', 2n ** 60n, false],
      ['batch-c', 3, true],
    ]);
    const failed = storage.executeMany(insert, [
      ['batch-d', 4, false],
      ['batch-a', 5, false],
    ]);
    await expect(failed).rejects.toThrow(StorageWriteError);
    await expect(failed).rejects.toMatchObject({
      code: 'storage_write_failed',
      details: { location: storage.location },
    });
    const rows = await storage.query(
      "SELECT id, amount, flag FROM notes WHERE id LIKE 'batch-%' ORDER BY id",
    );
    expect(rows.map((row) => [row.id, sqlBigInt(row.amount), sqlBoolean(row.flag)])).toEqual([
      ['batch-a', 1n, true],
      ['batch-b', 2n ** 60n, false],
      ['batch-c', 3n, true],
    ]);
    // The storage keeps working after a failed batch.
    await storage.executeMany(insert, [['batch-d', 4, false]]);
    expect(await storage.query("SELECT id FROM notes WHERE id = 'batch-d'")).toHaveLength(1);
  });

  it('serializes read-modify-write transactions from several connections', async () => {
    const connections = [storage, ...(await Promise.all([engine.open(), engine.open()]))];
    await storage.execute('INSERT INTO notes (id, amount, flag) VALUES (?, ?, ?)', [
      'counter',
      0,
      0,
    ]);
    const lockSuffix = dialect === 'postgres' ? ' FOR UPDATE' : '';
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        connections[i % connections.length]!.transaction(async (tx) => {
          const [row] = await tx.query(`SELECT amount FROM notes WHERE id = ?${lockSuffix}`, [
            'counter',
          ]);
          await new Promise((resolve) => setImmediate(resolve));
          await tx.execute('UPDATE notes SET amount = ? WHERE id = ?', [
            sqlBigInt(row?.amount) + 1n,
            'counter',
          ]);
        }),
      ),
    );
    const [row] = await storage.query('SELECT amount FROM notes WHERE id = ?', ['counter']);
    expect(sqlBigInt(row?.amount)).toBe(30n);
  });

  it('rejects malformed migration sets before touching the database', async () => {
    await expect(
      storage.migrate({
        feature: 'bad',
        migrations: [
          { version: 1, name: 'a', sql: 'SELECT 1' },
          { version: 1, name: 'b', sql: 'SELECT 1' },
        ],
      }),
    ).rejects.toThrow(ValidationError);
  });
});

describe.skipIf(!testDialects.includes('postgres'))('postgres storage', () => {
  it('lets several instances create a fresh schema and migrate it at once', async () => {
    const url = process.env.KEEL_TEST_POSTGRES_URL!;
    const schema = `keel_test_fresh_${Math.random().toString(36).slice(2, 10)}`;
    const instances = [1, 2, 3, 4].map(() => new PostgresStorage({ url, schema }));
    try {
      const reports = await Promise.all(instances.map((instance) => instance.migrate(notes)));
      expect(reports.flatMap((report) => report.applied)).toEqual([1]);
      const [row] = await instances[0]!.query('SELECT current_schema() AS schema');
      expect(row?.schema).toBe(schema);
    } finally {
      await instances[0]!.executeScript(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await Promise.all(instances.map((instance) => instance.close()));
    }
  });
});

describe('sqlite storage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-open-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to .keel/keel.db under the cwd, overridable by KEEL_DATA_DIR', () => {
    expect(defaultDatabasePath({ env: {}, cwd: '/srv/app' })).toBe('/srv/app/.keel/keel.db');
    expect(defaultDatabasePath({ env: { KEEL_DATA_DIR: 'data' }, cwd: '/srv/app' })).toBe(
      '/srv/app/data/keel.db',
    );
    expect(defaultDatabasePath({ env: { KEEL_DATA_DIR: '/var/keel' }, cwd: '/srv/app' })).toBe(
      '/var/keel/keel.db',
    );
  });

  it('opens the default file, in WAL mode, creating the data directory', async () => {
    const storage = await openStorage({ env: {}, cwd: dir });
    expect(storage).toBeInstanceOf(SqliteStorage);
    expect(storage.location).toBe(`sqlite:${join(dir, '.keel', 'keel.db')}`);
    const [row] = await storage.query('PRAGMA journal_mode');
    expect(row?.journal_mode).toBe('wal');
    const [timeout] = await storage.query('PRAGMA busy_timeout');
    expect(sqlNumber(Object.values(timeout ?? {})[0])).toBe(5000);
    await storage.close();
    expect(existsSync(join(dir, '.keel', 'keel.db'))).toBe(true);
  });

  it('picks the engine from the URL', async () => {
    const byScheme = await openStorage({ url: 'sqlite:nested/a.db', cwd: dir });
    expect(byScheme.location).toBe(`sqlite:${join(dir, 'nested', 'a.db')}`);
    await byScheme.close();
    const byPath = await openStorage({ url: join(dir, 'b.db') });
    expect(byPath.dialect).toBe('sqlite');
    await byPath.close();
    const memory = await openStorage({ url: 'sqlite::memory:' });
    expect(memory.location).toBe('sqlite::memory:');
    await memory.close();
    const postgres = await openStorage({ url: 'postgres://user:secret@127.0.0.1:1/db' });
    expect(postgres).toBeInstanceOf(PostgresStorage);
    expect(postgres.location).not.toContain('secret');
    await postgres.close();
    await expect(openStorage({ url: 'mysql://127.0.0.1/db' })).rejects.toThrow(ValidationError);
  });

  it('fails a call made inside its own transaction instead of deadlocking', async () => {
    const storage = new SqliteStorage({ path: ':memory:', lockTimeoutMs: 50 });
    await storage.executeScript('CREATE TABLE t (n INTEGER)');
    const failed = storage.transaction(async (tx) => {
      await tx.execute('INSERT INTO t VALUES (1)');
      await storage.query('SELECT 1');
    });
    await expect(failed).rejects.toThrow(StorageLockTimeoutError);
    // The transaction rolled back, and the storage is usable afterwards.
    expect(await storage.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 0n }]);
    await storage.close();
  });

  it('lets a concurrent caller wait for a transaction shorter than the lock timeout', async () => {
    const storage = new SqliteStorage({ path: ':memory:', lockTimeoutMs: 2000 });
    await storage.executeScript('CREATE TABLE t (n INTEGER)');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const transaction = storage.transaction(async (tx) => {
      await tx.execute('INSERT INTO t VALUES (1)');
      await gate;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const reader = storage.query('SELECT count(*) AS n FROM t');
    release();
    await transaction;
    expect(await reader).toEqual([{ n: 1n }]);
    await storage.close();
  });
});

describe('sqlite batch writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-batch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const insert = 'INSERT INTO t (n, label) VALUES (?, ?)';
  const rows = (count: number) =>
    Array.from({ length: count }, (_, index) => [index, `row ${index}`] as const);
  /** Whether `promise` has settled once the event loop has turned (the flag keeps updating). */
  const settledAfterOneTurn = async (promise: Promise<unknown>) => {
    const state = { settled: false };
    void promise.then(() => (state.settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    return state;
  };

  it('runs a file batch off the event loop, and reads made meanwhile see it once written', async () => {
    const storage = new SqliteStorage({ path: join(dir, 'background.db') });
    await storage.executeScript('CREATE TABLE t (n INTEGER, label TEXT)');
    await storage.executeMany(insert, rows(1)); // starts the writer
    const batch = storage.executeMany(insert, rows(20_000));
    // Written on this thread, the batch would be done before the event loop turns.
    const written = await settledAfterOneTurn(batch);
    expect(written.settled).toBe(false);
    // A read issued meanwhile waits for the batch (the storage's lock), then sees all of it.
    expect(await storage.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 20_001n }]);
    expect(written.settled).toBe(true);
    // Another connection to the file sees the committed rows too.
    const other = new SqliteStorage({ path: join(dir, 'background.db') });
    expect(await other.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 20_001n }]);
    await other.close();
    await storage.close();
  });

  it('writes inline when asked to, and for in-memory databases', async () => {
    for (const storage of [
      new SqliteStorage({ path: join(dir, 'inline.db'), backgroundWrites: false }),
      new SqliteStorage({ path: ':memory:' }),
    ]) {
      await storage.executeScript('CREATE TABLE t (n INTEGER, label TEXT)');
      const written = await settledAfterOneTurn(storage.executeMany(insert, rows(20_000)));
      expect(written.settled).toBe(true);
      expect(await storage.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 20_000n }]);
      await storage.close();
    }
  });

  it('rejects a batch the thread cannot run with a typed error, and keeps running', async () => {
    const storage = new SqliteStorage({ path: join(dir, 'errors.db') });
    await storage.executeScript('CREATE TABLE t (n INTEGER, label TEXT)');
    await expect(
      storage.executeMany('INSERT INTO missing VALUES (?)', [[1]]),
    ).rejects.toMatchObject({
      code: 'storage_write_failed',
      details: { engineCode: 'SQLITE_ERROR' },
    });
    // A value that cannot reach the thread fails the same way, without leaving it waiting.
    const unsendable = [[1, (() => 'x') as unknown as string]];
    await expect(storage.executeMany(insert, unsendable)).rejects.toMatchObject({
      code: 'storage_write_failed',
    });
    await storage.executeMany(insert, rows(3));
    expect(await storage.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 3n }]);
    await storage.close();
  });

  it('fails batches with a typed error when the writer thread cannot start', async () => {
    const thread = new SqliteWriteThread({
      path: join(dir, 'no-such-dir', 'x.db'),
      location: 'sqlite:x',
      busyTimeoutMs: 100,
    });
    await expect(thread.ready()).rejects.toThrow(StorageWriteError);
    expect(thread.alive).toBe(false);
    await expect(thread.run('SELECT 1', [[]])).rejects.toThrow(StorageWriteError);
    await thread.close();
  });
});

describe('postgres placeholders', () => {
  it('numbers ? placeholders in order', () => {
    expect(toPostgresPlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?)')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)',
    );
  });

  it('rejects a schema name that is not a plain identifier', () => {
    expect(
      () => new PostgresStorage({ url: 'postgres://127.0.0.1:1/db', schema: 'x; DROP TABLE y' }),
    ).toThrow(ValidationError);
  });
});
