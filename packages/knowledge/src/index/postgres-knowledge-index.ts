import pg from 'pg';
import { KnowledgeConfigError } from '../errors/knowledge-config-error.ts';
import type { DocumentFormat } from '../extract/extracted-document.ts';
import { chunkId } from './chunk-id.ts';
import { resolveFieldWeights, type FieldWeights } from './field-weights.ts';
import type {
  ChunkRecord,
  DocumentRecord,
  IndexStats,
  KnowledgeIndex,
  SearchHit,
  StoredChunk,
  TextSearchOptions,
  VectorSearchOptions,
} from './knowledge-index.ts';
import { parseQuery } from './parse-query.ts';
import { vectorFromBlob, vectorToBlob } from './vector-blob.ts';

/** Options for {@link openPostgresIndex}. */
export interface PostgresIndexOptions {
  /** A pool to use (not closed by `close()`), or... */
  pool?: pg.Pool;
  /** ...a connection string to open one from. */
  connectionString?: string;
  /** Schema holding the tables; created when missing. Default `keel_knowledge`. */
  schema?: string;
  /** Full-text field weights, applied to term frequencies when chunks are written (changing
   * them needs a re-index). */
  fieldWeights?: FieldWeights;
}

interface ChunkRow {
  chunk_id: string;
  source: string;
  title: string;
  position: number;
  text: string;
  headings: string;
  context: string;
  page: number | null;
  content_hash: string;
  score: number;
}

/**
 * Opens the PostgreSQL knowledge index, the scale-out twin of the SQLite one: chunks are
 * tokenised and stemmed by PostgreSQL's english text-search configuration into a postings table
 * (field-weighted term frequencies), ranked with BM25 in SQL. Dense search needs the pgvector extension; without it
 * `supportsVectors` is false and retrieval stays full-text. Call `migrate()` first.
 */
export function openPostgresIndex(options: PostgresIndexOptions): PostgresKnowledgeIndex {
  return new PostgresKnowledgeIndex(options);
}

export class PostgresKnowledgeIndex implements KnowledgeIndex {
  readonly kind = 'postgres';
  readonly #pool: pg.Pool;
  readonly #ownsPool: boolean;
  readonly #schema: string;
  readonly #weights: FieldWeights;
  #pgvector = false;

  constructor(options: PostgresIndexOptions) {
    if (!options.pool && !options.connectionString) {
      throw new KnowledgeConfigError('postgres', 'give either a pool or a connectionString');
    }
    const schema = options.schema ?? 'keel_knowledge';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new KnowledgeConfigError('schema', `"${schema}" must be a lower-case SQL identifier`);
    }
    this.#schema = `"${schema}"`;
    this.#ownsPool = !options.pool;
    this.#pool =
      options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: 4 });
    this.#weights = resolveFieldWeights(options.fieldWeights);
  }

  /** Always false for now: dense search on pgvector is not implemented (this server has no
   * pgvector to test it against), so retrieval on PostgreSQL is full-text. */
  get supportsVectors(): boolean {
    return false;
  }

  /** Whether the connected server has pgvector installed (checked by `migrate()`). */
  get pgvectorAvailable(): boolean {
    return this.#pgvector;
  }

  async migrate(): Promise<void> {
    const s = this.#schema;
    await this.#pool.query(`
      CREATE SCHEMA IF NOT EXISTS ${s};
      CREATE TABLE IF NOT EXISTS ${s}.documents (
        source TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        format TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        modified_ms DOUBLE PRECISION NOT NULL,
        size_bytes BIGINT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS ${s}.chunks (
        chunk_id TEXT PRIMARY KEY,
        source TEXT NOT NULL REFERENCES ${s}.documents(source) ON DELETE CASCADE,
        title TEXT NOT NULL,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        headings TEXT NOT NULL,
        context TEXT NOT NULL,
        page INTEGER,
        content_hash TEXT NOT NULL,
        embedding_hash TEXT,
        weighted_length DOUBLE PRECISION NOT NULL DEFAULT 0
      );
      CREATE TABLE IF NOT EXISTS ${s}.postings (
        chunk_id TEXT NOT NULL REFERENCES ${s}.chunks(chunk_id) ON DELETE CASCADE,
        lexeme TEXT NOT NULL,
        tf DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (lexeme, chunk_id)
      );
      CREATE INDEX IF NOT EXISTS postings_chunk ON ${s}.postings (chunk_id);
      CREATE INDEX IF NOT EXISTS chunks_source ON ${s}.chunks (source);
      CREATE TABLE IF NOT EXISTS ${s}.embeddings (
        model TEXT NOT NULL,
        input_hash TEXT NOT NULL,
        vector BYTEA NOT NULL,
        PRIMARY KEY (model, input_hash)
      );
    `);
    const { rowCount } = await this.#pool.query(
      `SELECT 1 FROM pg_extension WHERE extname = 'vector'`,
    );
    this.#pgvector = (rowCount ?? 0) > 0;
  }

  async getDocument(source: string): Promise<DocumentRecord | undefined> {
    const { rows } = await this.#pool.query(
      `SELECT * FROM ${this.#schema}.documents WHERE source = $1`,
      [source],
    );
    const row = rows[0] as DocumentRow | undefined;
    return row && documentFromRow(row);
  }

  async listDocuments(sourcePrefix?: string): Promise<DocumentRecord[]> {
    const { rows } =
      sourcePrefix === undefined
        ? await this.#pool.query(`SELECT * FROM ${this.#schema}.documents ORDER BY source`)
        : await this.#pool.query(
            `SELECT * FROM ${this.#schema}.documents WHERE left(source, $1) = $2 ORDER BY source`,
            [sourcePrefix.length, sourcePrefix],
          );
    return rows.map(documentFromRow);
  }

  async replaceDocument(document: DocumentRecord, chunks: ChunkRecord[]): Promise<StoredChunk[]> {
    const s = this.#schema;
    return this.#transaction(async (client) => {
      await client.query(`DELETE FROM ${s}.chunks WHERE source = $1`, [document.source]);
      await client.query(
        `INSERT INTO ${s}.documents (source, title, format, content_hash, modified_ms, size_bytes)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (source) DO UPDATE SET title = excluded.title, format = excluded.format,
           content_hash = excluded.content_hash, modified_ms = excluded.modified_ms,
           size_bytes = excluded.size_bytes`,
        [
          document.source,
          document.title,
          document.format,
          document.contentHash,
          document.modifiedMs,
          document.sizeBytes,
        ],
      );
      const stored: StoredChunk[] = [];
      for (const chunk of chunks) {
        const id = chunkId(document.source, chunk.position, chunk.contentHash);
        await client.query(
          `INSERT INTO ${s}.chunks (chunk_id, source, title, position, text, headings, context, page,
             content_hash, embedding_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            id,
            document.source,
            document.title,
            chunk.position,
            chunk.text,
            chunk.headings.join('\n'),
            chunk.context ?? '',
            chunk.page ?? null,
            chunk.contentHash,
            chunk.embedding?.inputHash ?? null,
          ],
        );
        // Postings: english-stemmed lexemes (to_tsvector) with field-weighted term frequencies,
        // and the chunk's weighted length, which is all BM25 needs at query time.
        const { title, headings, context, text } = this.#weights;
        await client.query(
          `WITH fields (weight, body) AS (
             VALUES ($2::float8, $3::text), ($4::float8, $5::text), ($6::float8, $7::text), ($8::float8, $9::text)
           ),
           terms AS (
             SELECT f.weight, u.lexeme, cardinality(u.positions) AS occurrences
             FROM fields f, unnest(to_tsvector('english', f.body)) AS u
             WHERE f.weight > 0
           ),
           inserted AS (
             INSERT INTO ${s}.postings (chunk_id, lexeme, tf)
             SELECT $1, lexeme, sum(weight * occurrences) FROM terms GROUP BY lexeme
           )
           UPDATE ${s}.chunks SET weighted_length = (SELECT coalesce(sum(weight * occurrences), 0) FROM terms)
           WHERE chunk_id = $1`,
          [
            id,
            title,
            document.title,
            headings,
            chunk.headings.join('\n'),
            context,
            chunk.context ?? '',
            text,
            chunk.text,
          ],
        );
        if (chunk.embedding) {
          await client.query(
            `INSERT INTO ${s}.embeddings (model, input_hash, vector) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
            [
              chunk.embedding.model,
              chunk.embedding.inputHash,
              vectorToBlob(chunk.embedding.vector),
            ],
          );
        }
        const { embedding: _embedding, ...rest } = chunk;
        stored.push({ ...rest, id, source: document.source, title: document.title });
      }
      await this.#pruneEmbeddings(client);
      return stored;
    });
  }

  async touchDocument(source: string, modifiedMs: number): Promise<void> {
    await this.#pool.query(
      `UPDATE ${this.#schema}.documents SET modified_ms = $1 WHERE source = $2`,
      [modifiedMs, source],
    );
  }

  async removeDocument(source: string): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query(`DELETE FROM ${this.#schema}.documents WHERE source = $1`, [source]);
      await this.#pruneEmbeddings(client);
    });
  }

  async findEmbeddings(model: string, inputHashes: string[]): Promise<Map<string, Float32Array>> {
    const { rows } = await this.#pool.query(
      `SELECT input_hash, vector FROM ${this.#schema}.embeddings WHERE model = $1 AND input_hash = ANY($2)`,
      [model, [...new Set(inputHashes)]],
    );
    return new Map(
      rows.map((row: { input_hash: string; vector: Buffer }) => [
        row.input_hash,
        vectorFromBlob(row.vector),
      ]),
    );
  }

  async searchText(options: TextSearchOptions): Promise<SearchHit[]> {
    const { terms } = parseQuery(options.query);
    if (terms.length === 0) return [];
    const s = this.#schema;
    // Okapi BM25 (k1 1.2, b 0.75, Lucene's always-positive idf) over the postings table:
    // PostgreSQL's own ts_rank/ts_rank_cd have no idf and scored 0.42 nDCG@10 on SciFact.
    const { rows } = await this.#pool.query(
      `WITH query AS (SELECT DISTINCT lexeme FROM unnest(to_tsvector('english', $1)) AS u),
       stats AS (SELECT count(*)::float8 AS n, greatest(avg(weighted_length), 1e-9) AS average FROM ${s}.chunks),
       frequencies AS (
         SELECT p.lexeme, count(*)::float8 AS df FROM ${s}.postings p JOIN query q ON q.lexeme = p.lexeme
         GROUP BY p.lexeme
       ),
       scored AS (
         SELECT p.chunk_id,
                sum(ln(1 + (stats.n - f.df + 0.5) / (f.df + 0.5)) * p.tf * 2.2
                    / (p.tf + 1.2 * (0.25 + 0.75 * c.weighted_length / stats.average))) AS score
         FROM ${s}.postings p
         JOIN frequencies f ON f.lexeme = p.lexeme
         JOIN ${s}.chunks c ON c.chunk_id = p.chunk_id
         CROSS JOIN stats
         GROUP BY p.chunk_id
         ORDER BY score DESC, p.chunk_id
         LIMIT $2
       )
       SELECT c.chunk_id, c.source, c.title, c.position, c.text, c.headings, c.context, c.page,
              c.content_hash, scored.score
       FROM scored JOIN ${s}.chunks c ON c.chunk_id = scored.chunk_id
       ORDER BY scored.score DESC, c.chunk_id`,
      [terms.join(' '), options.limit ?? 10],
    );
    return (rows as ChunkRow[]).map((row) => ({
      chunk: chunkFromRow(row),
      score: Number(row.score),
    }));
  }

  async searchVector(_options: VectorSearchOptions): Promise<SearchHit[]> {
    throw new KnowledgeConfigError(
      'embeddings',
      this.#pgvector
        ? 'dense search on PostgreSQL is not implemented yet; use the SQLite index for hybrid retrieval'
        : 'the PostgreSQL server has no pgvector extension, so dense search is unavailable',
    );
  }

  async optimize(): Promise<void> {
    await this.#pool.query(`ANALYZE ${this.#schema}.chunks; ANALYZE ${this.#schema}.postings`);
  }

  async stats(): Promise<IndexStats> {
    const { rows } = await this.#pool.query(
      `SELECT (SELECT count(*) FROM ${this.#schema}.documents)::int AS documents,
              (SELECT count(*) FROM ${this.#schema}.chunks)::int AS chunks,
              (SELECT count(*) FROM ${this.#schema}.chunks WHERE embedding_hash IS NOT NULL)::int AS embedded`,
    );
    const row = rows[0] as { documents: number; chunks: number; embedded: number };
    return { documents: row.documents, chunks: row.chunks, embeddedChunks: row.embedded };
  }

  async close(): Promise<void> {
    if (this.#ownsPool) await this.#pool.end();
  }

  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async #pruneEmbeddings(client: pg.PoolClient): Promise<void> {
    await client.query(
      `DELETE FROM ${this.#schema}.embeddings e
       WHERE NOT EXISTS (SELECT 1 FROM ${this.#schema}.chunks c WHERE c.embedding_hash = e.input_hash)`,
    );
  }
}

interface DocumentRow {
  source: string;
  title: string;
  format: string;
  content_hash: string;
  modified_ms: number;
  size_bytes: string | number;
}

function documentFromRow(row: DocumentRow): DocumentRecord {
  return {
    source: row.source,
    title: row.title,
    format: row.format as DocumentFormat,
    contentHash: row.content_hash,
    modifiedMs: Number(row.modified_ms),
    sizeBytes: Number(row.size_bytes),
  };
}

function chunkFromRow(row: ChunkRow): StoredChunk {
  return {
    id: row.chunk_id,
    source: row.source,
    title: row.title,
    position: row.position,
    text: row.text,
    headings: row.headings ? row.headings.split('\n') : [],
    ...(row.context ? { context: row.context } : {}),
    ...(row.page === null ? {} : { page: row.page }),
    contentHash: row.content_hash,
  };
}
