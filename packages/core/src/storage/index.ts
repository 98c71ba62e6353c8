export { AsyncMutex } from './async-mutex.ts';
export { MIGRATIONS_TABLE } from './migrations.ts';
export { defaultDatabasePath, openStorage, type OpenStorageOptions } from './open-storage.ts';
export { createPostgresTestSchema, type PostgresTestSchema } from './postgres-test-schema.ts';
export {
  PostgresStorage,
  toPostgresPlaceholders,
  type PostgresStorageOptions,
} from './postgres-storage.ts';
export {
  sqlBigInt,
  sqlBigIntOrNull,
  sqlBoolean,
  sqlNumber,
  sqlNumberOrNull,
  sqlStringOrNull,
} from './sql-values.ts';
export {
  SqliteStorage,
  StorageLockTimeoutError,
  type SqliteStorageOptions,
} from './sqlite-storage.ts';
export { SqliteWriteThread } from './sqlite-write-thread.ts';
export { StorageWriteError } from './storage-write-error.ts';
export { timeOrderedId } from './time-ordered-id.ts';
export {
  createTestStorageEngine,
  postgresTestUrl,
  testDialects,
  type TestStorageEngine,
} from './test-engines.ts';
export type {
  FeatureMigrations,
  Migration,
  MigrationReport,
  SqlExecutor,
  SqlRow,
  SqlValue,
  Storage,
  StorageDialect,
} from './storage.ts';
