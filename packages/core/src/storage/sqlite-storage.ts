import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { KeelError } from '@keel/errors';
import { AsyncMutex } from './async-mutex.ts';
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
  /** The clock used to stamp migrations. */
  now?: () => number;
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

/** Raised when code inside `storage.transaction` calls the storage instead of its `tx`. */
export class StorageReentrancyError extends KeelError<{ location: string }> {
  constructor(location: string) {
    super(
      'storage_reentrant',
      `The storage at ${location} was used inside its own transaction; use the transaction's executor`,
      { location },
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
  readonly #inTransaction = new AsyncLocalStorage<boolean>();
  readonly #now: () => number;
  readonly #direct: SqlExecutor;

  constructor(options: SqliteStorageOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.#db = new Database(options.path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.#db.pragma('synchronous = NORMAL');
    this.#db.defaultSafeIntegers(true);
    this.location = options.path === ':memory:' ? 'sqlite::memory:' : `sqlite:${options.path}`;
    this.#lock = lockFor(options.path);
    this.#now = options.now ?? Date.now;
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

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.#inTransaction.getStore()) {
      return Promise.reject(new StorageReentrancyError(this.location));
    }
    return this.#lock.run(work);
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

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.#exclusive(async () => {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.#inTransaction.run(true, () => work(this.#direct));
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async migrate(set: FeatureMigrations): Promise<MigrationReport> {
    validateFeatureMigrations(set);
    await this.executeScript(createMigrationsTableSql);
    return this.transaction((tx) => applyPendingMigrations(tx, set, this.#now()));
  }

  async close(): Promise<void> {
    await this.#lock.run(() => this.#db.close());
  }
}
