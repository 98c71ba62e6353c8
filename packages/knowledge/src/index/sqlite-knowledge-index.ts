import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import type { DocumentFormat } from '../extract/extracted-document.ts';
import { chunkId } from './chunk-id.ts';
import { resolveFieldWeights, type FieldWeights } from './field-weights.ts';
import { Fts5Bm25Ranker } from './fts5-bm25-ranker.ts';
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
import { cosineSimilarity, vectorFromBlob, vectorToBlob } from './vector-blob.ts';

/** Options for {@link openSqliteIndex}. */
export interface SqliteIndexOptions {
  /** Database file; `:memory:` for a throwaway index. */
  path: string;
  /** Full-text field weights. Default `defaultFieldWeights`. */
  fieldWeights?: FieldWeights;
  /** Load sqlite-vec for vector distance in SQL. Default true; falls back to cosine in
   * JavaScript when the extension cannot load. */
  useSqliteVec?: boolean;
}

interface ChunkRow {
  rowid: number;
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

const tokenize = 'porter unicode61 remove_diacritics 2';
const ftsColumns = ['title', 'headings', 'context', 'text'] as const;

const schema = `
CREATE TABLE IF NOT EXISTS documents (
  source TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  format TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  modified_ms INTEGER NOT NULL,
  size_bytes INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
  rowid INTEGER PRIMARY KEY,
  chunk_id TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL REFERENCES documents(source) ON DELETE CASCADE,
  title TEXT NOT NULL,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  headings TEXT NOT NULL,
  context TEXT NOT NULL,
  page INTEGER,
  content_hash TEXT NOT NULL,
  embedding_hash TEXT
);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
CREATE INDEX IF NOT EXISTS chunks_embedding ON chunks(embedding_hash);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
  title, headings, context, text,
  content='chunks', content_rowid='rowid',
  tokenize='${tokenize}'
);
CREATE TABLE IF NOT EXISTS embeddings (
  model TEXT NOT NULL,
  input_hash TEXT NOT NULL,
  vector BLOB NOT NULL,
  PRIMARY KEY (model, input_hash)
);
`;

/**
 * Opens (creating if needed) the embedded knowledge index: one SQLite file holding documents,
 * chunks, an FTS5 index (Porter stemming, BM25 with field weights) and embeddings.
 */
export function openSqliteIndex(options: SqliteIndexOptions): SqliteKnowledgeIndex {
  return new SqliteKnowledgeIndex(options);
}

export class SqliteKnowledgeIndex implements KnowledgeIndex {
  readonly kind = 'sqlite';
  readonly supportsVectors = true;
  /** Whether vector distances are computed by sqlite-vec (else in JavaScript). */
  readonly sqliteVecLoaded: boolean;
  readonly #db: Database.Database;
  readonly #weights: FieldWeights;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #ranker: Fts5Bm25Ranker;

  constructor(options: SqliteIndexOptions) {
    this.#db = new Database(options.path);
    this.#db.pragma('journal_mode = WAL');
    // WAL with synchronous=NORMAL cannot corrupt the file; a power cut may lose the last
    // transactions, which the next ingest redoes (hashes differ), so per-document commits stay cheap.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('foreign_keys = ON');
    this.#db.pragma('cache_size = -65536');
    this.#weights = resolveFieldWeights(options.fieldWeights);
    let loaded = false;
    if (options.useSqliteVec !== false) {
      try {
        sqliteVec.load(this.#db);
        loaded = true;
      } catch {
        loaded = false;
      }
    }
    this.sqliteVecLoaded = loaded;
    this.#db.exec(schema);
    this.#ranker = new Fts5Bm25Ranker({
      db: this.#db,
      table: 'chunks_fts',
      columns: ftsColumns,
      weights: ftsColumns.map((column) => this.#weights[column]),
      tokenize,
    });
  }

  /** Prepared once per index: preparing costs as much as running a small query. */
  #statement(name: 'searchText' | 'chunksByRowid'): Database.Statement {
    let statement = this.#statements.get(name);
    if (!statement) {
      const { title, headings, context, text } = this.#weights;
      // The inner query ranks rowids only; columns are read for the final rows alone, which
      // keeps a query over thousands of matches in a few milliseconds.
      statement = this.#db.prepare(
        name === 'searchText'
          ? `SELECT c.*, -ranked.score AS score FROM (
               SELECT rowid, bm25(chunks_fts, ${title}, ${headings}, ${context}, ${text}) AS score
               FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY score LIMIT ?
             ) AS ranked JOIN chunks c ON c.rowid = ranked.rowid ORDER BY ranked.score`
          : 'SELECT * FROM chunks WHERE rowid IN (SELECT value FROM json_each(?))',
      );
      this.#statements.set(name, statement);
    }
    return statement;
  }

  async migrate(): Promise<void> {
    this.#db.exec(schema);
  }

  async getDocument(source: string): Promise<DocumentRecord | undefined> {
    const row = this.#db.prepare('SELECT * FROM documents WHERE source = ?').get(source) as
      DocumentRow | undefined;
    return row && documentFromRow(row);
  }

  async listDocuments(sourcePrefix?: string): Promise<DocumentRecord[]> {
    const rows = (
      sourcePrefix === undefined
        ? this.#db.prepare('SELECT * FROM documents ORDER BY source').all()
        : this.#db
            .prepare('SELECT * FROM documents WHERE substr(source, 1, ?) = ? ORDER BY source')
            .all(sourcePrefix.length, sourcePrefix)
    ) as DocumentRow[];
    return rows.map(documentFromRow);
  }

  async replaceDocument(document: DocumentRecord, chunks: ChunkRecord[]): Promise<StoredChunk[]> {
    const stored: StoredChunk[] = [];
    this.#db.transaction(() => {
      const previous = this.#deleteChunks(document.source);
      this.#db
        .prepare(
          `INSERT INTO documents (source, title, format, content_hash, modified_ms, size_bytes)
           VALUES (@source, @title, @format, @contentHash, @modifiedMs, @sizeBytes)
           ON CONFLICT(source) DO UPDATE SET title = excluded.title, format = excluded.format,
             content_hash = excluded.content_hash, modified_ms = excluded.modified_ms,
             size_bytes = excluded.size_bytes`,
        )
        .run(document);
      const insertChunk = this.#db.prepare(
        `INSERT INTO chunks (chunk_id, source, title, position, text, headings, context, page,
           content_hash, embedding_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const insertFts = this.#db.prepare(
        'INSERT INTO chunks_fts (rowid, title, headings, context, text) VALUES (?, ?, ?, ?, ?)',
      );
      const insertEmbedding = this.#db.prepare(
        'INSERT OR IGNORE INTO embeddings (model, input_hash, vector) VALUES (?, ?, ?)',
      );
      for (const chunk of chunks) {
        const id = chunkId(document.source, chunk.position, chunk.contentHash);
        const headings = chunk.headings.join('\n');
        const context = chunk.context ?? '';
        const { lastInsertRowid } = insertChunk.run(
          id,
          document.source,
          document.title,
          chunk.position,
          chunk.text,
          headings,
          context,
          chunk.page ?? null,
          chunk.contentHash,
          chunk.embedding?.inputHash ?? null,
        );
        insertFts.run(lastInsertRowid, document.title, headings, context, chunk.text);
        if (chunk.embedding) {
          const { model, inputHash, vector } = chunk.embedding;
          insertEmbedding.run(model, inputHash, vectorToBlob(vector));
        }
        const { embedding: _embedding, ...rest } = chunk;
        stored.push({ ...rest, id, source: document.source, title: document.title });
      }
      this.#pruneEmbeddings(previous);
    })();
    this.#ranker.invalidate();
    return stored;
  }

  async touchDocument(source: string, modifiedMs: number): Promise<void> {
    this.#db
      .prepare('UPDATE documents SET modified_ms = ? WHERE source = ?')
      .run(modifiedMs, source);
  }

  async removeDocument(source: string): Promise<void> {
    this.#db.transaction(() => {
      const previous = this.#deleteChunks(source);
      this.#db.prepare('DELETE FROM documents WHERE source = ?').run(source);
      this.#pruneEmbeddings(previous);
    })();
    this.#ranker.invalidate();
  }

  async findEmbeddings(model: string, inputHashes: string[]): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    const select = this.#db.prepare(
      'SELECT vector FROM embeddings WHERE model = ? AND input_hash = ?',
    );
    for (const hash of new Set(inputHashes)) {
      const row = select.get(model, hash) as { vector: Buffer } | undefined;
      if (row) found.set(hash, vectorFromBlob(row.vector));
    }
    return found;
  }

  async searchText(options: TextSearchOptions): Promise<SearchHit[]> {
    const { terms } = parseQuery(options.query);
    if (terms.length === 0) return [];
    const limit = options.limit ?? 10;
    const ranked = this.#ranker.rank(terms, limit);
    if (ranked) {
      const rows = this.#statement('chunksByRowid').all(
        JSON.stringify(ranked.map((row) => row.rowid)),
      ) as ChunkRow[];
      const byRowid = new Map(rows.map((row) => [row.rowid, row]));
      return ranked.flatMap(({ rowid, score }) => {
        const row = byRowid.get(rowid);
        return row ? [{ chunk: chunkFromRow(row), score }] : [];
      });
    }
    // A word FTS5 splits into several tokens is a phrase query: FTS5 ranks those itself.
    const match = terms.map((term) => `"${term}"`).join(' OR ');
    const rows = this.#statement('searchText').all(match, limit) as ChunkRow[];
    return rows.map((row) => ({ chunk: chunkFromRow(row), score: row.score }));
  }

  async searchVector(options: VectorSearchOptions): Promise<SearchHit[]> {
    const limit = options.limit ?? 10;
    const query = vectorToBlob(options.vector);
    if (this.sqliteVecLoaded) {
      const rows = this.#db
        .prepare(
          `SELECT c.*, 1 - vec_distance_cosine(e.vector, ?) AS score
           FROM chunks c JOIN embeddings e ON e.model = ? AND e.input_hash = c.embedding_hash
           ORDER BY score DESC LIMIT ?`,
        )
        .all(query, options.model, limit) as ChunkRow[];
      return rows.map((row) => ({ chunk: chunkFromRow(row), score: row.score }));
    }
    const rows = this.#db
      .prepare(
        `SELECT c.*, e.vector AS vector, 0 AS score
         FROM chunks c JOIN embeddings e ON e.model = ? AND e.input_hash = c.embedding_hash`,
      )
      .all(options.model) as Array<ChunkRow & { vector: Buffer }>;
    return rows
      .map((row) => ({
        chunk: chunkFromRow(row),
        score: cosineSimilarity(options.vector, vectorFromBlob(row.vector)),
      }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  async optimize(): Promise<void> {
    // Merges the FTS5 segments that many small transactions leave behind; queries then read one
    // b-tree per term instead of dozens.
    this.#db.exec("INSERT INTO chunks_fts (chunks_fts) VALUES ('optimize')");
    this.#db.pragma('optimize');
  }

  async stats(): Promise<IndexStats> {
    const count = (sql: string) => (this.#db.prepare(sql).get() as { n: number }).n;
    return {
      documents: count('SELECT count(*) AS n FROM documents'),
      chunks: count('SELECT count(*) AS n FROM chunks'),
      embeddedChunks: count('SELECT count(*) AS n FROM chunks WHERE embedding_hash IS NOT NULL'),
    };
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  /** Deletes a document's chunks (and their FTS rows); returns their embedding hashes. */
  #deleteChunks(source: string): string[] {
    const rows = this.#db
      .prepare(
        'SELECT rowid, title, headings, context, text, embedding_hash FROM chunks WHERE source = ?',
      )
      .all(source) as Array<
      Pick<ChunkRow, 'rowid' | 'title' | 'headings' | 'context' | 'text'> & {
        embedding_hash: string | null;
      }
    >;
    // External-content FTS5 tables are told what to forget with the values they indexed.
    const forget = this.#db.prepare(
      `INSERT INTO chunks_fts (chunks_fts, rowid, title, headings, context, text)
       VALUES ('delete', ?, ?, ?, ?, ?)`,
    );
    for (const row of rows) forget.run(row.rowid, row.title, row.headings, row.context, row.text);
    this.#db.prepare('DELETE FROM chunks WHERE source = ?').run(source);
    return rows.flatMap((row) => (row.embedding_hash ? [row.embedding_hash] : []));
  }

  /** Drops stored embeddings no chunk refers to any more. */
  #pruneEmbeddings(inputHashes: string[]): void {
    const prune = this.#db.prepare(
      'DELETE FROM embeddings WHERE input_hash = ? AND NOT EXISTS (SELECT 1 FROM chunks WHERE embedding_hash = ?)',
    );
    for (const hash of new Set(inputHashes)) prune.run(hash, hash);
  }
}

interface DocumentRow {
  source: string;
  title: string;
  format: string;
  content_hash: string;
  modified_ms: number;
  size_bytes: number;
}

function documentFromRow(row: DocumentRow): DocumentRecord {
  return {
    source: row.source,
    title: row.title,
    format: row.format as DocumentFormat,
    contentHash: row.content_hash,
    modifiedMs: row.modified_ms,
    sizeBytes: row.size_bytes,
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
