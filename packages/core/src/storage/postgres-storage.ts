import pg from 'pg';
import { ValidationError } from '@keel/errors';
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

export interface PostgresStorageOptions {
  /** A `postgres://` connection URL. */
  url: string;
  /** Keep Keel's tables in this schema (created when missing) instead of `public`. */
  schema?: string;
  /** The most connections the pool opens. Default 10. */
  maxConnections?: number;
  /** The clock used to stamp migrations. */
  now?: () => number;
}

const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;
// 40001 serialization_failure, 40P01 deadlock_detected: the transaction can simply run again.
const retryableCodes = new Set(['40001', '40P01']);
const maxAttempts = 5;

/** `?` placeholders to PostgreSQL's `$1, $2, ...`. */
export function toPostgresPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

function bind(params: readonly SqlValue[]): unknown[] {
  return params.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

function executorFor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    dialect: 'postgres',
    async query<Row extends SqlRow>(sql: string, params: readonly SqlValue[] = []) {
      const result = await client.query(toPostgresPlaceholders(sql), bind(params));
      return result.rows as Row[];
    },
    async execute(sql: string, params: readonly SqlValue[] = []) {
      const result = await client.query(toPostgresPlaceholders(sql), bind(params));
      return { changes: result.rowCount ?? 0 };
    },
    async executeScript(sql: string) {
      await client.query(sql);
    },
  };
}

/** PostgreSQL through a `pg` pool: the engine for several Keel instances sharing state. */
export class PostgresStorage implements Storage {
  readonly dialect = 'postgres' as const;
  readonly location: string;
  readonly #pool: pg.Pool;
  readonly #direct: SqlExecutor;
  readonly #now: () => number;
  readonly #ready: Promise<void>;

  constructor(options: PostgresStorageOptions) {
    const { schema } = options;
    if (schema !== undefined && !schemaPattern.test(schema)) {
      throw new ValidationError('postgres storage', [
        `schema "${schema}" is not a plain identifier`,
      ]);
    }
    this.#pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle client's connection error must not crash the process; the next query reports it.
    this.#pool.on('error', () => {});
    this.location = redact(options.url) + (schema ? ` (schema ${schema})` : '');
    this.#direct = executorFor(this.#pool);
    this.#now = options.now ?? Date.now;
    // Two instances creating the schema at once can collide even with IF NOT EXISTS
    // (23505 unique_violation / 42P06 duplicate_schema): either way the schema now exists.
    this.#ready = schema
      ? this.#pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(
          () => undefined,
          (error: { code?: string }) => {
            if (error.code !== '23505' && error.code !== '42P06') throw error;
          },
        )
      : Promise.resolve();
    this.#ready.catch(() => {});
  }

  async query<Row extends SqlRow = SqlRow>(
    sql: string,
    params?: readonly SqlValue[],
  ): Promise<Row[]> {
    await this.#ready;
    return this.#direct.query<Row>(sql, params);
  }

  async execute(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    await this.#ready;
    return this.#direct.execute(sql, params);
  }

  async executeScript(sql: string): Promise<void> {
    await this.#ready;
    return this.#direct.executeScript(sql);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    await this.#ready;
    for (let attempt = 1; ; attempt++) {
      const client = await this.#pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(executorFor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        const code = (error as { code?: unknown }).code;
        if (attempt < maxAttempts && typeof code === 'string' && retryableCodes.has(code)) continue;
        throw error;
      } finally {
        client.release();
      }
    }
  }

  async executeMany(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.transaction(async (tx) => {
        for (const row of rows) await tx.execute(sql, row);
      });
    } catch (error) {
      throw StorageWriteError.from(this.location, error);
    }
  }

  async migrate(set: FeatureMigrations): Promise<MigrationReport> {
    validateFeatureMigrations(set);
    return this.transaction(async (tx) => {
      // One migrator at a time across every process sharing this database.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('keel_schema_migrations'))`);
      await tx.executeScript(createMigrationsTableSql);
      return applyPendingMigrations(tx, set, this.#now());
    });
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
