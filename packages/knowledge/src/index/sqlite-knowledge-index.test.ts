import { describe, expect, it } from 'vitest';
import { sha256 } from './chunk-id.ts';
import { openSqliteIndex } from './sqlite-knowledge-index.ts';
import { parseQuery } from './parse-query.ts';

const document = (source: string, title: string) => ({
  source,
  title,
  format: 'text' as const,
  contentHash: sha256(source),
  modifiedMs: 1,
  sizeBytes: 1,
});
const chunk = (text: string, position = 0) => ({
  position,
  text,
  headings: [],
  contentHash: sha256(text),
});

describe('SqliteKnowledgeIndex', () => {
  it('ranks a title match above the same word in body text, with stemming', async () => {
    const index = openSqliteIndex({ path: ':memory:' });
    await index.replaceDocument(document('mem://body', 'Notes'), [
      chunk('Bird migration happens every autumn season.'),
    ]);
    await index.replaceDocument(document('mem://title', 'Migrating birds'), [
      chunk('They fly south every autumn season.'),
    ]);
    const hits = await index.searchText({ query: 'migrations', limit: 5 });
    expect(hits.map((hit) => hit.chunk.source)).toEqual(['mem://title', 'mem://body']);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    await index.close();
  });

  it('treats query syntax as plain words, never as FTS5 operators', async () => {
    const index = openSqliteIndex({ path: ':memory:' });
    await index.replaceDocument(document('mem://a', 'A'), [
      chunk('Near the river, not far from the bridge.'),
    ]);
    for (const query of [
      'NOT river',
      'river OR',
      '"unbalanced',
      'bridge*',
      'NEAR(river bridge)',
      'title:river',
      '(',
      '-river',
    ]) {
      await expect(index.searchText({ query })).resolves.toBeInstanceOf(Array);
    }
    expect((await index.searchText({ query: 'NOT river' }))[0]!.chunk.source).toBe('mem://a');
    expect(await index.searchText({ query: '?!' })).toEqual([]);
    await index.close();
  });

  it('keeps the full-text index consistent through replacements and removals', async () => {
    const index = openSqliteIndex({ path: ':memory:' });
    await index.replaceDocument(document('mem://a', 'A'), [
      chunk('alpha one'),
      chunk('alpha two', 1),
    ]);
    await index.replaceDocument(document('mem://a', 'A'), [chunk('beta three')]);
    expect(await index.searchText({ query: 'alpha' })).toEqual([]);
    expect((await index.searchText({ query: 'beta' })).map((hit) => hit.chunk.text)).toEqual([
      'beta three',
    ]);
    await index.removeDocument('mem://a');
    expect(await index.searchText({ query: 'beta' })).toEqual([]);
    expect(await index.stats()).toEqual({ documents: 0, chunks: 0, embeddedChunks: 0 });
    await index.optimize();
    await index.close();
  });

  it('rejects negative or non-numeric field weights', () => {
    expect(() =>
      openSqliteIndex({
        path: ':memory:',
        fieldWeights: { title: -1, headings: 1, context: 1, text: 1 },
      }),
    ).toThrow(expect.objectContaining({ code: 'knowledge_config_invalid' }));
  });
});

describe('parseQuery', () => {
  it('keeps distinct content words, and falls back to stopwords when nothing else is left', () => {
    expect(parseQuery('What is the half-life of Carbon-14, the carbon isotope?').terms).toEqual([
      'half',
      'life',
      'carbon',
      '14',
      'isotope',
    ]);
    expect(parseQuery('what is it?').terms).toEqual(['what', 'is', 'it']);
  });
});
