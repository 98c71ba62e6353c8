import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVoyageServer, type FakeVoyageServer } from '../embed/fake-voyage-server.ts';
import { voyageEmbeddings } from '../embed/voyage-embeddings.ts';
import { ingest } from '../ingest/ingest.ts';
import { retrieve } from './retrieve.ts';
import { openSqliteIndex } from './sqlite-knowledge-index.ts';

let voyage: FakeVoyageServer;
let directory: string;

beforeAll(async () => {
  voyage = await startFakeVoyageServer({ apiKey: 'k-test', dimensions: 128 });
  directory = mkdtempSync(join(tmpdir(), 'keel-hybrid-'));
});

afterAll(async () => {
  await voyage.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('hybrid retrieval against the fake Voyage API', () => {
  it('embeds chunks once, reuses vectors for unchanged chunks, and fuses dense with BM25', async () => {
    const docs = join(directory, 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'pets.md'), '# Pets\n\nCats sleep sixteen hours a day.');
    writeFileSync(join(docs, 'plants.md'), '# Plants\n\nFerns like shade and humid air.');
    const index = openSqliteIndex({ path: join(directory, 'hybrid.sqlite') });
    const embeddings = voyageEmbeddings({
      apiKey: 'k-test',
      baseUrl: voyage.url,
      model: 'voyage-3.5-lite',
    });

    await ingest({ index, paths: [docs], embeddings });
    expect(
      voyage.requests.map((request) => [request.model, request.input_type, request.input.length]),
    ).toEqual([
      ['voyage-3.5-lite', 'document', 1],
      ['voyage-3.5-lite', 'document', 1],
    ]);
    expect(await index.stats()).toMatchObject({ chunks: 2, embeddedChunks: 2 });

    // A second document with the same text as an existing chunk (and title) reuses its vector.
    mkdirSync(join(docs, 'copy'));
    writeFileSync(join(docs, 'copy', 'pets.md'), '# Pets\n\nCats sleep sixteen hours a day.');
    await ingest({ index, paths: [docs], embeddings });
    expect(voyage.requests).toHaveLength(2);

    const hybrid = await retrieve({ index, query: 'how long do cats sleep', embeddings });
    expect(hybrid.mode).toBe('hybrid');
    expect(voyage.requests.at(-1)).toMatchObject({
      input: ['how long do cats sleep'],
      input_type: 'query',
    });
    // Two copies of the same text collapse to one hit.
    expect(hybrid.chunks).toHaveLength(1);
    expect(hybrid.chunks[0]!.chunk.text).toBe('Pets\n\nCats sleep sixteen hours a day.');
    expect(hybrid.chunks[0]!.textScore).toBeGreaterThan(0);
    expect(hybrid.chunks[0]!.vectorScore).toBeGreaterThan(0.2);

    // With the text threshold out of reach, only the dense evidence can keep a chunk.
    const strict = { minTextScore: 1e9 };
    expect((await retrieve({ index, query: 'cats sleep', ...strict })).chunks).toEqual([]);
    const denseOnly = await retrieve({ index, query: 'cats sleep', embeddings, ...strict });
    expect(denseOnly.chunks.map((hit) => hit.chunk.title)).toEqual(['Pets']);
    await index.close();
  });

  it('computes the same vector ranking with sqlite-vec and with the JavaScript fallback', async () => {
    const withExtension = openSqliteIndex({ path: join(directory, 'vec.sqlite') });
    const embeddings = voyageEmbeddings({ apiKey: 'k-test', baseUrl: voyage.url });
    const docs = join(directory, 'vec-docs');
    mkdirSync(docs);
    const topics = [
      'rivers and lakes',
      'mountain weather',
      'desert animals',
      'ocean tides and lakes',
    ];
    topics.forEach((topic, index) =>
      writeFileSync(join(docs, `${index}.txt`), `Notes on ${topic}.`),
    );
    await ingest({ index: withExtension, paths: [docs], embeddings });
    expect(withExtension.sqliteVecLoaded).toBe(true);
    await withExtension.close();

    const [vector] = await embeddings.embed(['lakes'], 'query');
    const rank = async (useSqliteVec: boolean) => {
      const index = openSqliteIndex({ path: join(directory, 'vec.sqlite'), useSqliteVec });
      const hits = await index.searchVector({ vector: vector!, model: embeddings.model, limit: 4 });
      await index.close();
      return hits.map((hit) => [hit.chunk.text, hit.score.toFixed(5)]);
    };
    const fromSql = await rank(true);
    expect(fromSql).toEqual(await rank(false));
    expect(
      fromSql
        .slice(0, 2)
        .map(([text]) => text)
        .sort(),
    ).toEqual(['Notes on ocean tides and lakes.', 'Notes on rivers and lakes.']);
  });

  it('raises typed errors for a rejected key and a missing key', async () => {
    const wrongKey = voyageEmbeddings({ apiKey: 'nope', baseUrl: voyage.url });
    await expect(wrongKey.embed(['x'], 'query')).rejects.toMatchObject({
      code: 'knowledge_embedding_failed',
      details: { provider: 'voyage', status: 401 },
    });
    const saved = process.env['VOYAGE_API_KEY'];
    delete process.env['VOYAGE_API_KEY'];
    try {
      expect(() => voyageEmbeddings()).toThrow(
        expect.objectContaining({ code: 'knowledge_config_invalid' }),
      );
    } finally {
      if (saved !== undefined) process.env['VOYAGE_API_KEY'] = saved;
    }
  });
});
