import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A throwaway PostgreSQL schema for one test run. */
export interface PostgresTestSchema {
  /** The server URL. */
  url: string;
  /** The schema name, `keel_test_<random>`; pass it to `openStorage({ url, schema })`. */
  schema: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/**
 * Creates a unique schema so parallel test runs against one server never collide. Returns
 * undefined when no URL is given (tests skip).
 */
export async function createPostgresTestSchema(
  url: string | undefined = process.env.KEEL_TEST_POSTGRES_URL,
): Promise<PostgresTestSchema | undefined> {
  if (!url) return undefined;
  const schema = `keel_test_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE SCHEMA ${schema}`);
  return { url, schema, drop: () => run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}
