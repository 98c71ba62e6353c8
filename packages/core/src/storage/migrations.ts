import { ValidationError } from '@keel/errors';
import type { FeatureMigrations, MigrationReport, SqlExecutor } from './storage.ts';
import { sqlNumber } from './sql-values.ts';

/** The table that records which migration versions each feature has applied. */
export const MIGRATIONS_TABLE = 'keel_schema_migrations';

export const createMigrationsTableSql = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  feature TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at_ms BIGINT NOT NULL,
  PRIMARY KEY (feature, version)
)`;

/** Rejects duplicate or non-positive versions before anything touches the database. */
export function validateFeatureMigrations(set: FeatureMigrations): void {
  const issues: string[] = [];
  if (!/^[a-z][a-z0-9_-]*$/.test(set.feature)) issues.push(`feature name "${set.feature}"`);
  const seen = new Set<number>();
  for (const migration of set.migrations) {
    if (!Number.isInteger(migration.version) || migration.version < 1) {
      issues.push(`version ${migration.version} must be a positive integer`);
    }
    if (seen.has(migration.version)) issues.push(`version ${migration.version} is listed twice`);
    seen.add(migration.version);
  }
  if (issues.length > 0) throw new ValidationError(`migrations of ${set.feature}`, issues);
}

/**
 * Applies pending migrations inside a transaction the caller opened with the write lock held, so
 * two processes migrating at once apply each version exactly once.
 */
export async function applyPendingMigrations(
  tx: SqlExecutor,
  set: FeatureMigrations,
  nowMs: number,
): Promise<MigrationReport> {
  const rows = await tx.query(`SELECT version FROM ${MIGRATIONS_TABLE} WHERE feature = ?`, [
    set.feature,
  ]);
  const done = new Set(rows.map((row) => sqlNumber(row.version)));
  const pending = [...set.migrations]
    .filter((migration) => !done.has(migration.version))
    .sort((a, b) => a.version - b.version);
  for (const migration of pending) {
    const sql = typeof migration.sql === 'string' ? migration.sql : migration.sql[tx.dialect];
    await tx.executeScript(sql);
    await tx.execute(
      `INSERT INTO ${MIGRATIONS_TABLE} (feature, version, name, applied_at_ms) VALUES (?, ?, ?, ?)`,
      [set.feature, migration.version, migration.name, nowMs],
    );
  }
  const versions = [...done, ...pending.map((m) => m.version)];
  return {
    feature: set.feature,
    applied: pending.map((m) => m.version),
    version: versions.length ? Math.max(...versions) : 0,
  };
}
