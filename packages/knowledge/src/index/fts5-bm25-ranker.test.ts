import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from './chunk-id.ts';
import { Fts5Bm25Ranker } from './fts5-bm25-ranker.ts';
import { openSqliteIndex } from './sqlite-knowledge-index.ts';

const tokenize = 'porter unicode61 remove_diacritics 2';
const columns = ['title', 'headings', 'context', 'text'];
const weights = [2.5, 1.5, 1.1, 1];
const vocabulary = (
  'cell cells cellular protein proteins gene genes expression immune response tumour tumor ' +
  'café cafe mouse mice blood pressure insulin glucose receptor receptors signal signalling ' +
  'running runs ran virus viral infection therapy dose doses trial trials risk'
).split(' ');

/** A small deterministic generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function words(next: () => number, count: number): string {
  return Array.from(
    { length: count },
    () => vocabulary[Math.floor(next() * vocabulary.length)]!,
  ).join(' ');
}

function corpus(rows: number): Database.Database {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE docs USING fts5(${columns.join(', ')}, tokenize = '${tokenize}')`);
  const insert = db.prepare('INSERT INTO docs VALUES (?, ?, ?, ?)');
  const next = random(7);
  for (let row = 0; row < rows; row++) {
    insert.run(
      words(next, 1 + Math.floor(next() * 4)),
      next() < 0.5 ? '' : words(next, 2),
      next() < 0.7 ? '' : words(next, 5),
      words(next, 5 + Math.floor(next() * 60)),
    );
  }
  return db;
}

/** FTS5's own ranking of the same query, every match. */
function fts5Scores(db: Database.Database, query: readonly string[]): Map<number, number> {
  const rows = db
    .prepare(
      `SELECT rowid, -bm25(docs, ${weights.join(', ')}) AS score FROM docs WHERE docs MATCH ?`,
    )
    .all(query.map((word) => `"${word}"`).join(' OR ')) as Array<{ rowid: number; score: number }>;
  return new Map(rows.map((row) => [row.rowid, row.score]));
}

function expectSameRanking(db: Database.Database, ranker: Fts5Bm25Ranker, query: string[]) {
  const expected = fts5Scores(db, query);
  const ranked = ranker.rank(query, 25)!;
  expect(ranked.length).toBe(Math.min(25, expected.size));
  for (const { rowid, score } of ranked) {
    expect(score).toBeCloseTo(expected.get(rowid)!, 9);
  }
  // The top rows are the best FTS5 rows: the scores match position by position.
  const best = [...expected.values()].sort((a, b) => b - a).slice(0, 25);
  ranked.forEach(({ score }, position) => expect(score).toBeCloseTo(best[position]!, 9));
}

describe('Fts5Bm25Ranker', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true });
  });

  it('scores every query exactly as FTS5 bm25() does, column weights and stemming included', () => {
    const db = corpus(400);
    const ranker = new Fts5Bm25Ranker({ db, table: 'docs', columns, weights, tokenize });
    const next = random(11);
    for (let query = 0; query < 60; query++) {
      expectSameRanking(db, ranker, words(next, 1 + Math.floor(next() * 8)).split(' '));
    }
    // Two words with one stem count twice, as two FTS5 phrases do; diacritics fold.
    expectSameRanking(db, ranker, ['cells', 'cell', 'café']);
    expectSameRanking(db, ranker, ['absent', 'cafe']);
    expect(ranker.rank(['absent'], 10)).toEqual([]);
  });

  it('stays exact with a posting cache far smaller than the index', () => {
    const db = corpus(300);
    const ranker = new Fts5Bm25Ranker({
      db,
      table: 'docs',
      columns,
      weights,
      tokenize,
      maxCachedPostings: 50,
    });
    const next = random(5);
    for (let query = 0; query < 30; query++) {
      expectSameRanking(db, ranker, words(next, 6).split(' '));
    }
  });

  it('leaves words FTS5 would treat as phrases to FTS5', () => {
    const db = corpus(10);
    const ranker = new Fts5Bm25Ranker({ db, table: 'docs', columns, weights, tokenize });
    expect(ranker.rank(['blood-pressure'], 5)).toBeUndefined();
    expect(ranker.rank(['cell', '--'], 5)).toBeUndefined();
    expect(ranker.rank(['cell'], 5)).toBeInstanceOf(Array);
  });

  it('sees changes written through the index and through another connection', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'keel-ranker-'));
    directories.push(directory);
    const path = join(directory, 'knowledge.sqlite');
    const reader = openSqliteIndex({ path });
    const writer = openSqliteIndex({ path });
    const add = (index: typeof reader, source: string, text: string) =>
      index.replaceDocument(
        {
          source,
          title: source,
          format: 'text',
          contentHash: sha256(text),
          modifiedMs: 1,
          sizeBytes: text.length,
        },
        [{ position: 0, text, headings: [], contentHash: sha256(text) }],
      );
    const sources = async (query: string) =>
      (await reader.searchText({ query })).map((hit) => hit.chunk.source);

    await add(reader, 'a', 'glacier retreat');
    expect(await sources('glacier')).toEqual(['a']);
    await add(reader, 'a', 'volcano eruption');
    expect(await sources('glacier')).toEqual([]);
    expect(await sources('volcano')).toEqual(['a']);

    await add(writer, 'b', 'volcano ash volcano');
    expect(await sources('volcano')).toEqual(['b', 'a']);
    await writer.removeDocument('b');
    expect(await sources('volcano')).toEqual(['a']);
    await writer.close();
    await reader.close();
  });
});
