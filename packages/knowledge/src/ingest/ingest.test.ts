import { mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { minimalPdf } from '../__fixtures__/minimal-pdf.ts';
import { openSqliteIndex, type SqliteKnowledgeIndex } from '../index/sqlite-knowledge-index.ts';
import { ingest } from './ingest.ts';
import type { IngestProgress } from './ingest-types.ts';

let directory: string;
let docs: string;
let index: SqliteKnowledgeIndex;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'keel-ingest-'));
  docs = join(directory, 'docs');
  mkdirSync(join(docs, 'guides'), { recursive: true });
  index = openSqliteIndex({ path: join(directory, 'knowledge.sqlite') });
});

afterEach(async () => {
  await index.close();
  rmSync(directory, { recursive: true, force: true });
});

const write = (name: string, content: string | Uint8Array) =>
  writeFileSync(join(docs, name), content);

describe('ingest', () => {
  it('indexes every supported format in a folder, reports progress, and makes it searchable', async () => {
    write(
      'guides/deploy.md',
      '# Deploy\n\nRun `keel deploy` to ship the canary build to production.\n',
    );
    write('faq.txt', 'Refunds are processed within fourteen business days.\n');
    write(
      'about.html',
      '<html><head><title>About</title></head><body><h1>About us</h1><p>Founded in Lisbon.</p></body></html>',
    );
    write(
      'solar.pdf',
      minimalPdf({ title: 'Solar', pages: [['Photovoltaic inverters fail first.']] }),
    );
    write('empty.md', '');
    write('photo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));
    write('.hidden.md', 'secret notes');
    const progress: IngestProgress[] = [];

    const summary = await ingest({
      index,
      paths: [docs],
      onProgress: (event) => progress.push(event),
    });

    expect(summary).toMatchObject({
      added: 5,
      updated: 0,
      unchanged: 0,
      removed: 0,
      failed: 0,
      chunks: 4,
    });
    expect(progress.map((event) => `${event.done}/${event.total}`)).toEqual([
      '1/5',
      '2/5',
      '3/5',
      '4/5',
      '5/5',
    ]);
    expect(summary.files.find((file) => file.source.endsWith('empty.md'))).toMatchObject({
      status: 'added',
      chunks: 0,
    });
    const [refund] = await index.searchText({ query: 'How long do refunds take?' });
    expect(refund!.chunk).toMatchObject({
      source: join(docs, 'faq.txt'),
      title: 'faq',
      text: expect.stringContaining('fourteen'),
    });
    const [inverter] = await index.searchText({ query: 'inverter failure' });
    expect(inverter!.chunk).toMatchObject({ title: 'Solar', page: 1 });
    const [deploy] = await index.searchText({ query: 'deploying canary' });
    expect(deploy!.chunk).toMatchObject({ title: 'Deploy', headings: ['Deploy'] });
    expect(await index.searchText({ query: 'secret notes' })).toEqual([]);
  });

  it('re-indexes only changed files and removes deleted ones', async () => {
    write('a.md', '# A\n\nAlpha facts about aardvarks.');
    write('b.md', '# B\n\nBeta facts about badgers.');
    write('c.md', '# C\n\nGamma facts about cheetahs.');
    await ingest({ index, paths: [docs] });

    write('a.md', '# A\n\nAlpha facts about armadillos now.');
    unlinkSync(join(docs, 'c.md'));
    // b.md: same bytes, new mtime -> hashed, found unchanged, only touched.
    utimesSync(join(docs, 'b.md'), new Date(), new Date(Date.now() + 5000));
    const summary = await ingest({ index, paths: [docs] });

    expect(summary).toMatchObject({ added: 0, updated: 1, unchanged: 1, removed: 1, failed: 0 });
    expect(await index.searchText({ query: 'aardvarks' })).toEqual([]);
    expect((await index.searchText({ query: 'armadillos' }))[0]!.chunk.source).toBe(
      join(docs, 'a.md'),
    );
    expect(await index.searchText({ query: 'cheetahs' })).toEqual([]);
    expect(await index.stats()).toMatchObject({ documents: 2, chunks: 2 });

    const again = await ingest({ index, paths: [docs] });
    expect(again).toMatchObject({
      added: 0,
      updated: 0,
      unchanged: 2,
      removed: 0,
      failed: 0,
      chunks: 0,
    });
  });

  it('removes everything indexed under a folder that was deleted', async () => {
    write('guides/one.md', 'One guide about kayaks.');
    write('guides/two.md', 'Two guide about canoes.');
    await ingest({ index, paths: [docs] });
    rmSync(join(docs, 'guides'), { recursive: true });

    const summary = await ingest({ index, paths: [join(docs, 'guides')] });

    expect(summary).toMatchObject({ removed: 2, failed: 0 });
    expect(await index.stats()).toMatchObject({ documents: 0, chunks: 0 });
  });

  it('reports binary, unsupported and missing files as typed failures and carries on', async () => {
    write('binary.txt', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x00]));
    write('data.bin', new Uint8Array([1, 2, 3]));
    write('good.md', 'Good content about zebras.');

    const summary = await ingest({
      index,
      paths: [
        join(docs, 'binary.txt'),
        join(docs, 'data.bin'),
        join(docs, 'good.md'),
        join(docs, 'nope.md'),
      ],
    });

    expect(summary).toMatchObject({ added: 1, failed: 3 });
    expect(
      summary.files
        .filter((file) => file.status === 'failed')
        .map((file) => file.error!.code)
        .sort(),
    ).toEqual([
      'knowledge_binary_file',
      'knowledge_source_not_found',
      'knowledge_unsupported_format',
    ]);
  });

  it('decodes non-UTF-8 text (latin1, UTF-16) so it is searchable', async () => {
    write(
      'latin.txt',
      new Uint8Array([
        ...Buffer.from('Le caf', 'latin1'),
        0xe9,
        ...Buffer.from(' est ouvert le dimanche.', 'latin1'),
      ]),
    );
    write(
      'wide.txt',
      new Uint8Array([0xff, 0xfe, ...Buffer.from('Über die Brücke gehen.', 'utf16le')]),
    );

    const summary = await ingest({ index, paths: [docs] });

    expect(summary).toMatchObject({ added: 2, failed: 0 });
    expect((await index.searchText({ query: 'café dimanche' }))[0]!.chunk.text).toBe(
      'Le café est ouvert le dimanche.',
    );
    expect((await index.searchText({ query: 'brucke' }))[0]!.chunk.text).toBe(
      'Über die Brücke gehen.',
    );
  });

  it('stores a paragraph repeated within a document once', async () => {
    const footer =
      'Confidential: do not distribute outside the company, under any circumstances whatsoever. '.repeat(
        4,
      );
    write(
      'report.md',
      `# Q1\n\n${'Revenue grew. '.repeat(30)}\n\n${footer}\n\n# Q2\n\n${'Costs fell. '.repeat(30)}\n\n${footer}`,
    );
    await ingest({ index, paths: [docs], chunking: { maxChars: 500, minChars: 50 } });
    const hits = await index.searchText({ query: 'confidential distribute', limit: 10 });
    expect(hits.length).toBe(1);
  });
});
