import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../ingest/ingest.ts';
import { sha256 } from './chunk-id.ts';
import { openPostgresIndex, type PostgresKnowledgeIndex } from './postgres-knowledge-index.ts';
import { retrieve } from './retrieve.ts';

const url = process.env['KEEL_TEST_POSTGRES_URL'];
const schema = `keel_knowledge_test_${process.pid}_${Date.now()}`;

describe.skipIf(!url)('PostgresKnowledgeIndex (real server)', () => {
  let pool: pg.Pool;
  let index: PostgresKnowledgeIndex;
  let directory: string;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: url, max: 2 });
    index = openPostgresIndex({ pool, schema });
    await index.migrate();
    await index.migrate(); // idempotent
    directory = mkdtempSync(join(tmpdir(), 'keel-pg-'));
  });

  afterAll(async () => {
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await index?.close();
    await pool?.end();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('detects that this server has no pgvector and keeps retrieval full-text', async () => {
    const { rowCount } = await pool.query(`SELECT 1 FROM pg_extension WHERE extname = 'vector'`);
    expect(index.pgvectorAvailable).toBe((rowCount ?? 0) > 0);
    expect(index.supportsVectors).toBe(false);
    await expect(
      index.searchVector({ vector: new Float32Array(4), model: 'm' }),
    ).rejects.toMatchObject({
      code: 'knowledge_config_invalid',
    });
  });

  it('ranks with english stemming and weights title matches above body matches', async () => {
    const document = (source: string, title: string) => ({
      source,
      title,
      format: 'text' as const,
      contentHash: sha256(source),
      modifiedMs: 1,
      sizeBytes: 1,
    });
    const chunk = (text: string) => ({
      position: 0,
      text,
      headings: [],
      contentHash: sha256(text),
    });
    await index.replaceDocument(document('mem://body', 'Notes'), [
      chunk('The migration of birds happens in autumn.'),
    ]);
    await index.replaceDocument(document('mem://title', 'Bird migrations'), [
      chunk('They fly south in autumn.'),
    ]);
    await index.replaceDocument(document('mem://other', 'Cooking'), [
      chunk('Bake bread at 220 degrees.'),
    ]);

    const hits = await index.searchText({ query: 'When do birds migrate?', limit: 5 });

    expect(hits.map((hit) => hit.chunk.source)).toEqual(['mem://title', 'mem://body']);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect(hits[0]!.chunk).toMatchObject({
      title: 'Bird migrations',
      text: 'They fly south in autumn.',
      headings: [],
    });
    const { chunks } = await retrieve({ index, query: 'bread baking temperature' });
    expect(chunks.map((hit) => hit.chunk.source)).toEqual(['mem://other']);
    for (const source of ['mem://body', 'mem://title', 'mem://other'])
      await index.removeDocument(source);
    expect(await index.stats()).toEqual({ documents: 0, chunks: 0, embeddedChunks: 0 });
  });

  it('supports incremental ingestion of a folder: edits, deletions, unchanged files', async () => {
    writeFileSync(join(directory, 'a.md'), '# Alpha\n\nAardvarks dig burrows.');
    writeFileSync(join(directory, 'b.md'), '# Beta\n\nBadgers are nocturnal.');
    expect(await ingest({ index, paths: [directory] })).toMatchObject({ added: 2, chunks: 2 });

    writeFileSync(join(directory, 'a.md'), '# Alpha\n\nArmadillos roll up.');
    unlinkSync(join(directory, 'b.md'));
    expect(await ingest({ index, paths: [directory] })).toMatchObject({
      added: 0,
      updated: 1,
      removed: 1,
    });
    expect(await index.searchText({ query: 'aardvarks' })).toEqual([]);
    expect((await index.searchText({ query: 'armadillo' }))[0]!.chunk).toMatchObject({
      source: join(directory, 'a.md'),
      headings: ['Alpha'],
    });
    expect(await ingest({ index, paths: [directory] })).toMatchObject({ unchanged: 1, updated: 0 });
  });

  it('stores and finds embeddings by input hash', async () => {
    await index.replaceDocument(
      {
        source: 'mem://vec',
        title: 'V',
        format: 'text',
        contentHash: 'h',
        modifiedMs: 1,
        sizeBytes: 1,
      },
      [
        {
          position: 0,
          text: 'vector text',
          headings: [],
          contentHash: sha256('vector text'),
          embedding: { model: 'm1', inputHash: 'in-1', vector: new Float32Array([0.5, -1, 2]) },
        },
      ],
    );
    const found = await index.findEmbeddings('m1', ['in-1', 'in-2']);
    expect([...found.keys()]).toEqual(['in-1']);
    expect([...found.get('in-1')!]).toEqual([0.5, -1, 2]);
    await index.removeDocument('mem://vec');
    expect((await index.findEmbeddings('m1', ['in-1'])).size).toBe(0);
  });
});
