import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { KnowledgeIndex } from './index/knowledge-index.ts';
import { openPostgresIndex } from './index/postgres-knowledge-index.ts';
import { openSqliteIndex } from './index/sqlite-knowledge-index.ts';

/** Options for {@link openKnowledgeIndex}. */
export interface OpenKnowledgeIndexOptions {
  /** SQLite file. Default: KEEL_KNOWLEDGE_DB, else `.keel/knowledge.sqlite` under the cwd. */
  path?: string;
  /** A PostgreSQL URL: use the scale-out index instead of SQLite. */
  postgresUrl?: string;
  /** PostgreSQL schema. Default `keel_knowledge`. */
  schema?: string;
}

/** The SQLite file used when none is given. */
export function defaultKnowledgeDbPath(): string {
  return resolve(process.env['KEEL_KNOWLEDGE_DB'] ?? '.keel/knowledge.sqlite');
}

/** Opens and migrates the configured index: PostgreSQL when a URL is given, else SQLite. */
export async function openKnowledgeIndex(
  options: OpenKnowledgeIndexOptions = {},
): Promise<KnowledgeIndex> {
  if (options.postgresUrl) {
    const index = openPostgresIndex({
      connectionString: options.postgresUrl,
      ...(options.schema ? { schema: options.schema } : {}),
    });
    await index.migrate();
    return index;
  }
  const path = options.path ? resolve(options.path) : defaultKnowledgeDbPath();
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const index = openSqliteIndex({ path });
  await index.migrate();
  return index;
}
