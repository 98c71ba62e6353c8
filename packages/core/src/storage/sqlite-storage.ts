import { mkdirSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { KeelError } from '@keel/errors';
import { AsyncMutex } from './async-mutex.ts';
import { SqliteWriteThread } from './sqlite-write-thread.ts';
import { StorageWriteError } from './storage-write-error.ts';
import {
  applyPendingMigrations,
  createMigrationsTableSql,
  validateFeatureMigrations,
} from './migrations.ts';
import type {
  FeatureMigrations,
  MigrationReport,
  SqlExecutor,
  SqlRow,
  SqlValue,
  Storage,
} from './storage.ts';

export interface SqliteStorageOptions {
  /** The database file, or `:memory:`. Parent folders are created. */
  path: string;
  /** How long a writer waits for another process's write lock, in ms. Default 5000. */
  busyTimeoutMs?: number;
  /** How long a call waits behind a transaction of this storage before it fails with
   * `StorageLockTimeoutError`, in ms. Default: `busyTimeoutMs`. */
  lockTimeoutMs?: number;
  /** The clock used to stamp migrations. */
  now?: () => number;
  /**
   * Whether `executeMany` batches go to a background thread with its own connection (files
   * only). Default true: a bulk write then never blocks the event loop.
   */
  backgroundWrites?: boolean;
}

// better-sqlite3 is synchronous: if two connections to one file in the same process interleave
// async transactions, the second BEGIN IMMEDIATE would block the only thread while the first can
// never finish. So every connection to a file in this process shares one lock; other processes
// are kept apart by SQLite's own file lock and busy_timeout.
const fileLocks = new Map<string, AsyncMutex>();

function lockFor(path: string): AsyncMutex {
  if (path === ':memory:') return new AsyncMutex();
  const key = realpathSync(path);
  let lock = fileLocks.get(key);
  if (!lock) fileLocks.set(key, (lock = new AsyncMutex()));
  return lock;
}

function bind(params: readonly SqlValue[]): unknown[] {
  return params.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
}

/**
 * Raised when a call waited too long behind a transaction of the same storage. The usual cause is
 * code inside `storage.transaction(work)` calling the storage instead of the `tx` it was given,
 * which can never proceed; the other is a transaction that runs for longer than the timeout.
 */
export class StorageLockTimeoutError extends KeelError<
  { location: string; waitedMs: number },
  'storage_lock_timeout'
> {
  constructor(location: string, waitedMs: number) {
    super(
      'storage_lock_timeout',
      `Waited ${waitedMs} ms for a transaction on ${location} to finish. If this call is made ` +
        `inside storage.transaction(), use the transaction's executor (tx) instead of the storage`,
      { location, waitedMs },
    );
  }
}

/** The embedded engine: one SQLite file in WAL mode. */
export class SqliteStorage implements Storage {
  readonly dialect = 'sqlite' as const;
  readonly location: string;
  readonly #db: Database.Database;
  readonly #lock: AsyncMutex;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #lockTimeoutMs: number;
  /** Whether a transaction of this storage holds the lock. */
  #transactionActive = false;
  readonly #now: () => number;
  readonly #direct: SqlExecutor;
  readonly #writeThread: SqliteWriteThread | undefined;

  constructor(options: SqliteStorageOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.#db = new Database(options.path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.#lockTimeoutMs = options.lockTimeoutMs ?? options.busyTimeoutMs ?? 5000;
    this.#db.pragma('synchronous = NORMAL');
    this.#db.defaultSafeIntegers(true);
    this.location = options.path === ':memory:' ? 'sqlite::memory:' : `sqlite:${options.path}`;
    this.#lock = lockFor(options.path);
    this.#now = options.now ?? Date.now;
    if (options.path !== ':memory:' && options.backgroundWrites !== false) {
      this.#writeThread = new SqliteWriteThread({
        path: options.path,
        location: this.location,
        busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      });
    }
    const statement = (sql: string) => this.#statement(sql);
    const db = this.#db;
    this.#direct = {
      dialect: 'sqlite',
      async query<Row extends SqlRow>(sql: string, params: readonly SqlValue[] = []) {
        const prepared = statement(sql);
        if (prepared.reader) return prepared.all(...bind(params)) as Row[];
        prepared.run(...bind(params));
        return [];
      },
      async execute(sql: string, params: readonly SqlValue[] = []) {
        return { changes: statement(sql).run(...bind(params)).changes };
      },
      async executeScript(sql: string) {
        db.exec(sql);
      },
    };
  }

  #statement(sql: string): Database.Statement {
    let prepared = this.#statements.get(sql);
    if (!prepared) {
      prepared = this.#db.prepare(sql);
      this.#statements.set(sql, prepared);
    }
    return prepared;
  }

  /**
   * Runs `work` holding the lock. A call that arrives while a transaction holds it waits at most
   * `lockTimeoutMs`: if it was made from inside that transaction it could never run, and a clear
   * error beats a silent deadlock. (An AsyncLocalStorage could tell the two cases apart at once,
   * but on Node 20 it turns on promise hooks that slow every promise in the process.)
   */
  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (!this.#transactionActive) return this.#lock.run(work);
    return new Promise<T>((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(new StorageLockTimeoutError(this.location, this.#lockTimeoutMs));
      }, this.#lockTimeoutMs);
      this.#lock
        .run(() => {
          clearTimeout(timer);
          return timedOut ? undefined : work();
        })
        .then((value) => resolve(value as T), reject);
    });
  }

  query<Row extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<Row[]> {
    return this.#exclusive(() => this.#direct.query<Row>(sql, params));
  }

  execute(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return this.#exclusive(() => this.#direct.execute(sql, params));
  }

  executeScript(sql: string): Promise<void> {
    return this.#exclusive(() => this.#direct.executeScript(sql));
  }

  /**
   * Runs `sql` once per row in one transaction. For a file, on the background write thread: this
   * storage's lock is held meanwhile (other calls wait for it asynchronously), but the event loop
   * is free. Falls back to writing here if the thread cannot run.
   */
  async executeMany(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<void> {
    if (rows.length === 0) return;
    const thread = this.#writeThread;
    if (thread?.alive) {
      // A thread that cannot start is no longer alive; the batch is then written here.
      await thread.ready().catch(() => {});
      if (thread.alive) {
        await this.#exclusive(() => thread.run(sql, rows));
        return;
      }
    }
    await this.#exclusive(async () => {
      try {
        const prepared = this.#statement(sql);
        this.#db
          .transaction(() => {
            for (const row of rows) prepared.run(...bind(row));
          })
          .immediate();
      } catch (error) {
        throw StorageWriteError.from(this.location, error);
      }
    });
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#exclusive(async () => {
      this.#db.exec('BEGIN IMMEDIATE');
      this.#transactionActive = true;
      try {
        const result = await work(this.#direct);
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw error;
      } finally {
        this.#transactionActive = false;
      }
    });
  }

  async migrate(set: FeatureMigrations): Promise<MigrationReport> {
    validateFeatureMigrations(set);
    await this.executeScript(createMigrationsTableSql);
    return this.transaction((tx) => applyPendingMigrations(tx, set, this.#now()));
  }

  async close(): Promise<void> {
    await this.#writeThread?.close();
    await this.#lock.run(() => this.#db.close());
  }
}
