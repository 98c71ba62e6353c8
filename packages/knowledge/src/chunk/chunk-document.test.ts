import { describe, expect, it } from 'vitest';
import type { ExtractedDocument } from '../extract/extracted-document.ts';
import { chunkDocument } from './chunk-document.ts';

const sentence = (index: number) => `Sentence number ${index} talks about topic ${index % 7}.`;

describe('chunkDocument', () => {
  it('returns no chunks for an empty document or one with only headings', () => {
    expect(chunkDocument({ title: null, blocks: [] })).toEqual([]);
    expect(
      chunkDocument({ title: 'T', blocks: [{ kind: 'heading', level: 1, text: 'T' }] }),
    ).toEqual([]);
  });

  it('starts chunks at headings and records the heading trail, skipping missing levels', () => {
    const body = 'x'.repeat(400);
    const document: ExtractedDocument = {
      title: 'Guide',
      blocks: [
        { kind: 'heading', level: 1, text: 'Guide' },
        { kind: 'paragraph', text: `Intro ${body}` },
        { kind: 'heading', level: 3, text: 'Deep' },
        { kind: 'paragraph', text: `Deep ${body}` },
        { kind: 'heading', level: 2, text: 'Install' },
        { kind: 'paragraph', text: `Install ${body}` },
      ],
    };
    const chunks = chunkDocument(document, { maxChars: 2000, minChars: 300 });
    expect(chunks.map((chunk) => chunk.headings)).toEqual([
      ['Guide'],
      ['Guide', 'Deep'],
      ['Guide', 'Install'],
    ]);
    expect(chunks.map((chunk) => chunk.position)).toEqual([0, 1, 2]);
    expect(chunks[1]!.text).toBe(`Deep\n\nDeep ${body}`);
  });

  it('merges sections shorter than minChars into one chunk', () => {
    const chunks = chunkDocument(
      {
        title: null,
        blocks: [
          { kind: 'heading', level: 2, text: 'A' },
          { kind: 'paragraph', text: 'Short a.' },
          { kind: 'heading', level: 2, text: 'B' },
          { kind: 'paragraph', text: 'Short b.' },
        ],
      },
      { minChars: 300 },
    );
    expect(chunks).toEqual([
      { position: 0, text: 'A\n\nShort a.\n\nB\n\nShort b.', headings: ['A'] },
    ]);
  });

  it('keeps a code block whole when it fits, even if that closes the chunk early', () => {
    const code = Array.from({ length: 30 }, (_, line) => `const value${line} = ${line};`).join(
      '\n',
    );
    const chunks = chunkDocument(
      {
        title: null,
        blocks: [
          { kind: 'paragraph', text: 'p'.repeat(500) },
          { kind: 'code', text: code },
        ],
      },
      { maxChars: 900 },
    );
    expect(chunks.map((chunk) => chunk.text)).toEqual(['p'.repeat(500), code]);
  });

  it('splits a huge paragraph on sentence boundaries within the bound, with overlap', () => {
    const text = Array.from({ length: 200 }, (_, index) => sentence(index)).join(' ');
    const chunks = chunkDocument(
      { title: null, blocks: [{ kind: 'paragraph', text }] },
      { maxChars: 1000, overlapChars: 120 },
    );
    expect(chunks.length).toBeGreaterThan(8);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(1000);
      // Every chunk starts and ends on a sentence boundary.
      expect(chunk.text).toMatch(/^Sentence number \d+/);
      expect(chunk.text).toMatch(/\.$/);
    }
    for (let index = 1; index < chunks.length; index++) {
      const previousLast = chunks[index - 1]!.text.split(/(?<=\.) /).at(-1)!;
      // The overlap (at most 120 characters) repeats the previous chunk's closing sentences.
      expect(chunks[index]!.text.slice(0, 120)).toContain(previousLast);
      expect(chunks[index]!.text.startsWith(previousLast)).toBe(false);
    }
    // Nothing is lost: every sentence appears in some chunk.
    const all = chunks.map((chunk) => chunk.text).join(' ');
    for (let index = 0; index < 200; index++) expect(all).toContain(sentence(index));
  });

  it('hard-splits a run with no sentence or space breaks, within the bound and losing nothing', () => {
    const chunks = chunkDocument(
      { title: null, blocks: [{ kind: 'paragraph', text: 'a'.repeat(2500) }] },
      { maxChars: 1000 },
    );
    expect(chunks.length).toBe(3);
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(1000);
    expect(chunks.map((chunk) => chunk.text.replace(/ /g, '')).join('')).toBe('a'.repeat(2500));
  });

  it('carries the PDF page of the first block into the chunk', () => {
    const chunks = chunkDocument({
      title: null,
      blocks: [
        { kind: 'paragraph', text: 'On page two.', page: 2 },
        { kind: 'paragraph', text: 'On page three.', page: 3 },
      ],
    });
    expect(chunks).toEqual([
      { position: 0, text: 'On page two.\n\nOn page three.', headings: [], page: 2 },
    ]);
  });
});
