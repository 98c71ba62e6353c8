import type Database from 'better-sqlite3';

/** Options for {@link Fts5Bm25Ranker}. */
export interface Fts5Bm25RankerOptions {
  /** The connection that owns the FTS5 table. */
  db: Database.Database;
  /** The FTS5 table (in schema `main`). Its `columnsize` option must be on (the default). */
  table: string;
  /** The table's columns, in declaration order. */
  columns: readonly string[];
  /** One weight per column, as for FTS5's `bm25()`. */
  weights: readonly number[];
  /** The table's `tokenize` option, so query words are stemmed exactly as the index was. */
  tokenize: string;
  /** Posting entries kept in memory before the least recently used terms are dropped.
   * Each entry costs 12 bytes. Default 2,000,000. */
  maxCachedPostings?: number;
}

/** One ranked row: its rowid and its BM25 score (higher is better, the negation of `bm25()`). */
export interface RankedRow {
  rowid: number;
  score: number;
}

interface Postings {
  /** Row ordinals (positions in the document-length arrays), ascending. */
  ordinals: Int32Array;
  /** This term's BM25 contribution to each row. */
  contributions: Float64Array;
}

interface CorpusStats {
  rowids: Float64Array;
  lengths: Float64Array;
  ordinalOf: Map<number, number>;
  averageLength: number;
  scores: Float64Array;
  marks: Int32Array;
}

/** FTS5's bm25() constants. */
const k1 = 1.2;
const b = 0.75;
const maxCachedWords = 50_000;

/**
 * BM25 over an FTS5 index, computed exactly as FTS5's `bm25()` ranks an OR of single-term
 * phrases (same IDF, document lengths, column weights and constants), but from per-term postings
 * kept in memory.
 *
 * Why: `bm25()` is an auxiliary function that runs once per matching row, reading that row's
 * position lists and size record; a nine-word question over a few thousand chunks matches most
 * of them, and scoring them cost 3-5 ms. Here a term's postings are read once (through an
 * `fts5vocab` table) with each row's contribution precomputed, and a query adds those up and
 * keeps the top rows in a heap: well under a millisecond once its terms have been seen.
 *
 * FTS5 stays the source of truth: the stemmer is FTS5's own (query words are tokenized by a
 * temporary FTS5 table with the same `tokenize` option), and the cache is dropped whenever the
 * index changes, through this connection ({@link invalidate}) or any other (`PRAGMA
 * data_version`).
 */
export class Fts5Bm25Ranker {
  readonly #db: Database.Database;
  readonly #weightOf: Map<string, number>;
  readonly #maxCachedPostings: number;
  readonly #dataVersion: Database.Statement;
  readonly #loadPostings: Database.Statement;
  readonly #loadLengths: Database.Statement;
  readonly #insertWord: Database.Statement;
  readonly #readTokens: Database.Statement;
  readonly #clearWords: Database.Statement;
  readonly #tokensOf = new Map<string, string[]>();
  readonly #postings = new Map<string, Postings>();
  #cachedEntries = 0;
  #stats: CorpusStats | undefined;
  #version: unknown;
  #stamp = 0;

  constructor(options: Fts5Bm25RankerOptions) {
    const { db, table, columns, weights, tokenize } = options;
    if (columns.length !== weights.length) {
      throw new RangeError(`${columns.length} columns but ${weights.length} weights`);
    }
    this.#db = db;
    this.#weightOf = new Map(columns.map((column, position) => [column, weights[position]!]));
    this.#maxCachedPostings = options.maxCachedPostings ?? 2_000_000;
    const prefix = `keel_${table}`;
    db.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS temp.${prefix}_instances
         USING fts5vocab(main, ${table}, 'instance');
       CREATE VIRTUAL TABLE IF NOT EXISTS temp.${prefix}_query_words
         USING fts5(word, tokenize = '${tokenize.replaceAll("'", "''")}');
       CREATE VIRTUAL TABLE IF NOT EXISTS temp.${prefix}_query_tokens
         USING fts5vocab(temp, ${prefix}_query_words, 'instance');`,
    );
    this.#dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.#loadPostings = db
      .prepare(
        `SELECT doc, col, count(*) FROM temp.${prefix}_instances WHERE term = ?
         GROUP BY doc, col ORDER BY doc, col`,
      )
      .raw(true);
    this.#loadLengths = db
      .prepare(`SELECT id, sz FROM main.${table}_docsize ORDER BY id`)
      .raw(true);
    this.#insertWord = db.prepare(
      `INSERT INTO temp.${prefix}_query_words (rowid, word) VALUES (?, ?)`,
    );
    this.#readTokens = db
      .prepare(`SELECT doc, term FROM temp.${prefix}_query_tokens ORDER BY doc, offset`)
      .raw(true);
    this.#clearWords = db.prepare(`DELETE FROM temp.${prefix}_query_words`);
    this.#version = this.#dataVersion.get();
  }

  /** Forgets everything cached; call after writing to the table through this connection. */
  invalidate(): void {
    this.#postings.clear();
    this.#cachedEntries = 0;
    this.#stats = undefined;
  }

  /**
   * The `limit` best rows for `words` OR-ed together, best first (ties by rowid), with the same
   * scores as `-bm25(table, ...weights)`. Returns undefined when a word does not tokenize to
   * exactly one term (it would be a phrase): the caller should let FTS5 rank that query.
   */
  rank(words: readonly string[], limit: number): RankedRow[] | undefined {
    const terms = this.#terms(words);
    if (!terms) return undefined;
    const version = this.#dataVersion.get();
    if (version !== this.#version) {
      this.#version = version;
      this.invalidate();
    }
    const stats = (this.#stats ??= this.#loadStats());
    if (stats.rowids.length === 0 || limit <= 0) return [];
    const { scores, marks } = stats;
    const stamp = ++this.#stamp;
    const matched: number[] = [];
    for (const term of terms) {
      const { ordinals, contributions } = this.#postingsOf(term, stats);
      for (let i = 0; i < ordinals.length; i++) {
        const ordinal = ordinals[i]!;
        if (marks[ordinal] !== stamp) {
          marks[ordinal] = stamp;
          scores[ordinal] = 0;
          matched.push(ordinal);
        }
        scores[ordinal] = scores[ordinal]! + contributions[i]!;
      }
    }
    return topRows(matched, scores, limit).map((ordinal) => ({
      rowid: stats.rowids[ordinal]!,
      score: scores[ordinal]!,
    }));
  }

  /** Each word's single FTS5 term (duplicates kept, as FTS5 scores repeated phrases twice). */
  #terms(words: readonly string[]): string[] | undefined {
    const unknown = [...new Set(words.filter((word) => !this.#tokensOf.has(word)))];
    if (unknown.length > 0) {
      if (this.#tokensOf.size + unknown.length > maxCachedWords) this.#tokensOf.clear();
      this.#db.transaction(() => {
        unknown.forEach((word, position) => this.#insertWord.run(position + 1, word));
        const tokens = unknown.map((): string[] => []);
        for (const [doc, term] of this.#readTokens.all() as Array<[number, string]>) {
          tokens[doc - 1]!.push(term);
        }
        this.#clearWords.run();
        unknown.forEach((word, position) => this.#tokensOf.set(word, tokens[position]!));
      })();
    }
    const terms: string[] = [];
    for (const word of words) {
      const tokens = this.#tokensOf.get(word)!;
      if (tokens.length !== 1) return undefined;
      terms.push(tokens[0]!);
    }
    return terms;
  }

  #postingsOf(term: string, stats: CorpusStats): Postings {
    const cached = this.#postings.get(term);
    if (cached) {
      // Re-inserted so that Map order is least recently used first.
      this.#postings.delete(term);
      this.#postings.set(term, cached);
      return cached;
    }
    const rows = this.#loadPostings.all(term) as Array<[number, string, number]>;
    const ordinals: number[] = [];
    const frequencies: number[] = [];
    let previous = -1;
    for (const [rowid, column, count] of rows) {
      const ordinal = stats.ordinalOf.get(rowid);
      if (ordinal === undefined) continue;
      // FTS5 adds the column weight once per instance; so does this, for identical rounding.
      const weight = this.#weightOf.get(column) ?? 1;
      let frequency = ordinal === previous ? frequencies.pop()! : 0;
      for (let n = 0; n < count; n++) frequency += weight;
      if (ordinal !== previous) ordinals.push(ordinal);
      frequencies.push(frequency);
      previous = ordinal;
    }
    const rowCount = stats.rowids.length;
    const hits = ordinals.length;
    let idf = Math.log((rowCount - hits + 0.5) / (hits + 0.5));
    if (idf <= 0) idf = 1e-6;
    const contributions = new Float64Array(hits);
    for (let i = 0; i < hits; i++) {
      const frequency = frequencies[i]!;
      const length = stats.lengths[ordinals[i]!]!;
      contributions[i] =
        idf *
        ((frequency * (k1 + 1)) / (frequency + k1 * (1 - b + (b * length) / stats.averageLength)));
    }
    const postings = { ordinals: Int32Array.from(ordinals), contributions };
    this.#postings.set(term, postings);
    this.#cachedEntries += hits;
    for (const [oldest, dropped] of this.#postings) {
      if (this.#cachedEntries <= this.#maxCachedPostings || oldest === term) break;
      this.#postings.delete(oldest);
      this.#cachedEntries -= dropped.ordinals.length;
    }
    return postings;
  }

  #loadStats(): CorpusStats {
    const rows = this.#loadLengths.all() as Array<[number, Buffer]>;
    const rowids = new Float64Array(rows.length);
    const lengths = new Float64Array(rows.length);
    const ordinalOf = new Map<number, number>();
    let total = 0;
    rows.forEach(([rowid, sizes], ordinal) => {
      let length = 0;
      for (const size of readVarints(sizes)) length += size;
      rowids[ordinal] = rowid;
      lengths[ordinal] = length;
      ordinalOf.set(rowid, ordinal);
      total += length;
    });
    return {
      rowids,
      lengths,
      ordinalOf,
      averageLength: rows.length === 0 ? 0 : total / rows.length,
      scores: new Float64Array(rows.length),
      marks: new Int32Array(rows.length),
    };
  }
}

/** SQLite varints (FTS5 size records): big-endian 7-bit groups, the ninth byte whole. */
function readVarints(bytes: Buffer): number[] {
  const values: number[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    let value = 0;
    for (let n = 0; n < 9; n++) {
      const byte = bytes[offset++]!;
      if (n === 8) {
        value = value * 256 + byte;
        break;
      }
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) break;
    }
    values.push(value);
  }
  return values;
}

/** The `limit` best ordinals by score (ties: lower ordinal first), best first, via a min-heap. */
function topRows(candidates: number[], scores: Float64Array, limit: number): number[] {
  // a ranks below b
  const below = (a: number, b: number) =>
    scores[a]! < scores[b]! || (scores[a] === scores[b] && a > b);
  const heap: number[] = [];
  const siftDown = (start: number) => {
    let at = start;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let lowest = at;
      if (left < heap.length && below(heap[left]!, heap[lowest]!)) lowest = left;
      if (right < heap.length && below(heap[right]!, heap[lowest]!)) lowest = right;
      if (lowest === at) return;
      [heap[at], heap[lowest]] = [heap[lowest]!, heap[at]!];
      at = lowest;
    }
  };
  for (const candidate of candidates) {
    if (heap.length < limit) {
      heap.push(candidate);
      let at = heap.length - 1;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!below(heap[at]!, heap[parent]!)) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
    } else if (below(heap[0]!, candidate)) {
      heap[0] = candidate;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (below(a, b) ? 1 : -1));
}
