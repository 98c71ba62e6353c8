import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@keel/errors';
import { PostgresStorage } from './postgres-storage.ts';
import { SqliteStorage } from './sqlite-storage.ts';
import type { Storage } from './storage.ts';

export interface OpenStorageOptions {
  /**
   * Where to store data: `postgres://...` / `postgresql://...`, `sqlite:<path>`,
   * `sqlite::memory:`, `file:<url>`, or a plain file path. Default: `keel.db` in the data
   * directory.
   */
  url?: string;
  /** PostgreSQL only: keep Keel's tables in this schema. */
  schema?: string;
  /** Environment variables; `KEEL_DATA_DIR` overrides the data directory. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** The directory relative paths and the default data directory (`.keel`) resolve against. */
  cwd?: string;
  /** The clock used to stamp migrations. */
  now?: () => number;
}

/** The default SQLite file: `$KEEL_DATA_DIR/keel.db`, else `<cwd>/.keel/keel.db`. */
export function defaultDatabasePath(options: Pick<OpenStorageOptions, 'env' | 'cwd'> = {}): string {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const dataDir = env.KEEL_DATA_DIR ? resolve(cwd, env.KEEL_DATA_DIR) : join(cwd, '.keel');
  return join(dataDir, 'keel.db');
}

/** Opens the storage a URL names: PostgreSQL for `postgres://`, SQLite for everything else. */
export async function openStorage(options: OpenStorageOptions = {}): Promise<Storage> {
  const { url } = options;
  const cwd = options.cwd ?? process.cwd();
  const now = options.now;
  if (url === undefined || url === '') {
    return new SqliteStorage({ path: defaultDatabasePath(options), now });
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return new PostgresStorage({ url, schema: options.schema, now });
  }
  if (url === ':memory:' || url === 'sqlite::memory:') {
    return new SqliteStorage({ path: ':memory:', now });
  }
  if (/^file:/i.test(url)) return new SqliteStorage({ path: fileURLToPath(url), now });
  if (/^sqlite:/i.test(url)) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return new SqliteStorage({ path: resolve(cwd, path), now });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new ValidationError('storage url', [
      `unsupported scheme in "${url.split('://')[0]}://..."; use postgres://, sqlite: or a file path`,
    ]);
  }
  return new SqliteStorage({ path: resolve(cwd, url), now });
}
