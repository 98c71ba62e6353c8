/** The SQL engines Keel stores data in. */
export type StorageDialect = 'sqlite' | 'postgres';

/** A value bound to a `?` placeholder. Booleans are stored as 1/0 in both engines. */
export type SqlValue = string | number | bigint | boolean | null;

/** One result row. Integers come back as `number`, `bigint` or numeric text depending on the engine; read them with `sqlNumber` / `sqlBigInt`. */
export type SqlRow = Record<string, unknown>;

/** Runs SQL. Statements use `?` placeholders (never inside string literals) in both engines. */
export interface SqlExecutor {
  /** The engine behind this executor, for the few statements that differ (e.g. `FOR UPDATE`). */
  readonly dialect: StorageDialect;
  /** Runs one statement and returns its rows (empty for statements without `RETURNING`). */
  query<Row extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs one statement and returns how many rows it changed. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** Runs several parameterless statements at once (migrations). */
  executeScript(sql: string): Promise<void>;
}

/** One schema change of a feature. Versions start at 1 and only ever grow. */
export interface Migration {
  /** The feature-local version; applied in ascending order, each at most once. */
  version: number;
  /** A short description, recorded with the version. */
  name: string;
  /** The DDL: one script for both engines, or one per engine. */
  sql: string | Record<StorageDialect, string>;
}

/** The migrations one feature (ledger, budgets, conversations, ...) registers. */
export interface FeatureMigrations {
  /** A stable feature name, e.g. `ledger`. */
  feature: string;
  /** Every migration of the feature, in any order. */
  migrations: readonly Migration[];
}

/** What `migrate` did. */
export interface MigrationReport {
  /** The feature migrated. */
  feature: string;
  /** Versions applied by this call (empty when already up to date). */
  applied: number[];
  /** The feature's version after the call. */
  version: number;
}

/**
 * Where Keel keeps its state: an embedded SQLite file by default, PostgreSQL when several
 * instances share it. Features (ledger, budgets, later conversations, accounts, sessions) build
 * on this interface only and register their own versioned migrations.
 */
export interface Storage extends SqlExecutor {
  /** Where the data lives, safe to log (no password). */
  readonly location: string;
  /**
   * Runs `work` in one transaction that holds the database's write lock from its first statement
   * (SQLite `BEGIN IMMEDIATE`; PostgreSQL `BEGIN`, use `SELECT ... FOR UPDATE` for row locks).
   * Commits when `work` resolves, rolls back when it throws. On PostgreSQL a serialization failure
   * or deadlock re-runs `work` (a few times), so `work` must only touch the database. Inside
   * `work`, use the executor it receives, not the storage itself.
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Runs one statement once per row, all in one transaction: a bulk write (ledger batches).
   * A SQLite file runs it on a background thread, so the event loop is not blocked while it
   * writes. Rejects with `StorageWriteError` (nothing written) if any row fails.
   */
  executeMany(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<void>;
  /** Applies a feature's pending migrations; safe to call from many processes at once. */
  migrate(feature: FeatureMigrations): Promise<MigrationReport>;
  /** Closes every connection. */
  close(): Promise<void>;
}
