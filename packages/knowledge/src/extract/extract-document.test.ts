import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { minimalPdf } from '../__fixtures__/minimal-pdf.ts';
import { BinaryFileError } from '../errors/binary-file-error.ts';
import { DocumentParseError } from '../errors/document-parse-error.ts';
import { UnsupportedFormatError } from '../errors/unsupported-format-error.ts';
import { decodeText } from './decode-text.ts';
import { extractDocument } from './extract-document.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('extractDocument', () => {
  it('reads Markdown: front-matter title, heading levels, paragraphs, fenced code kept verbatim', async () => {
    const source = [
      '---',
      'title: "Deploy Guide"',
      '---',
      '# Deploying',
      '',
      'Run the build first.',
      'It takes a minute.',
      '',
      'Setup',
      '-----',
      '```sh',
      'npm ci',
      '',
      'npm run build   # keeps spacing',
      '```',
      '## Rollback ##',
      'Revert the tag.',
    ].join('\n');
    const document = await extractDocument('/docs/deploy.md', utf8(source));
    expect(document.title).toBe('Deploy Guide');
    expect(document.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Deploying' },
      { kind: 'paragraph', text: 'Run the build first.\nIt takes a minute.' },
      { kind: 'heading', level: 2, text: 'Setup' },
      { kind: 'code', text: 'npm ci\n\nnpm run build   # keeps spacing', language: 'sh' },
      { kind: 'heading', level: 2, text: 'Rollback' },
      { kind: 'paragraph', text: 'Revert the tag.' },
    ]);
  });

  it('reads plain text as blank-line separated paragraphs, without a title', async () => {
    const document = await extractDocument(
      '/notes.txt',
      utf8('First para\r\nstill first.\r\n\r\n\r\nSecond.\n'),
    );
    expect(document).toEqual({
      title: null,
      blocks: [
        { kind: 'paragraph', text: 'First para\nstill first.' },
        { kind: 'paragraph', text: 'Second.' },
      ],
    });
  });

  it('reads HTML: drops scripts, styles and comments, keeps headings, lists and <pre>, decodes entities', async () => {
    const html = `<!doctype html><html><head><title>Team &amp; Handbook</title>
      <style>body { color: red }</style><script>var secret = "do not index";</script></head>
      <body><nav><a href="/">Home</a></nav><h1>Handbook</h1><!-- hidden note -->
      <p>Office hours are <b>9&ndash;5</b>.<br>Fridays end at 3.</p>
      <ul><li>Badge</li><li>Laptop</li></ul>
      <h2>Tools</h2><pre><code>git clone &lt;repo&gt;
  cd repo</code></pre><p>Caf&eacute; &#x2615; on floor 2&#46;</p></body></html>`;
    const document = await extractDocument('/site/index.html', utf8(html));
    expect(document.title).toBe('Team & Handbook');
    expect(document.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Handbook' },
      { kind: 'paragraph', text: 'Office hours are 9–5. Fridays end at 3.' },
      { kind: 'paragraph', text: '- Badge' },
      { kind: 'paragraph', text: '- Laptop' },
      { kind: 'heading', level: 2, text: 'Tools' },
      { kind: 'code', text: 'git clone <repo>\n  cd repo' },
      { kind: 'paragraph', text: 'Café ☕ on floor 2.' },
    ]);
    expect(JSON.stringify(document)).not.toMatch(/secret|color: red|hidden note|Home/);
  });

  it('reads a PDF page by page with its metadata title', async () => {
    const pdf = minimalPdf({
      title: 'Solar Report',
      pages: [
        ['Solar panels convert sunlight (mostly).', 'They last 25 years.'],
        ['Inverters fail first.'],
      ],
    });
    const document = await extractDocument('/reports/solar.pdf', pdf);
    expect(document.title).toBe('Solar Report');
    expect(document.blocks).toEqual([
      {
        kind: 'paragraph',
        text: 'Solar panels convert sunlight (mostly).\nThey last 25 years.',
        page: 1,
      },
      { kind: 'paragraph', text: 'Inverters fail first.', page: 2 },
    ]);
  });

  it('reads a DOCX with its heading structure', async () => {
    const bytes = readFileSync(new URL('../__fixtures__/travel-policy.docx', import.meta.url));
    const document = await extractDocument('/policies/travel.docx', bytes);
    expect(document.title).toBe('Travel Policy');
    expect(document.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Travel Policy' },
      { kind: 'heading', level: 2, text: 'Booking flights' },
      {
        kind: 'paragraph',
        text: 'Employees book economy class for flights shorter than six hours.',
      },
      {
        kind: 'paragraph',
        text: 'Business class is allowed for longer flights with manager approval.',
      },
    ]);
  });

  it('raises typed errors for corrupt PDFs, unknown extensions and binary bytes', async () => {
    await expect(
      extractDocument('/x/broken.pdf', utf8('%PDF-1.4 this is not really a pdf')),
    ).rejects.toBeInstanceOf(DocumentParseError);
    await expect(extractDocument('/x/broken.docx', utf8('not a zip'))).rejects.toMatchObject({
      code: 'knowledge_parse_failed',
      details: { path: '/x/broken.docx', format: 'DOCX' },
    });
    await expect(
      extractDocument('/x/photo.png', new Uint8Array([0x89, 0x50])),
    ).rejects.toBeInstanceOf(UnsupportedFormatError);
    const binary = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0x03]);
    await expect(extractDocument('/x/program.txt', binary)).rejects.toMatchObject({
      code: 'knowledge_binary_file',
      details: { path: '/x/program.txt', reason: 'contains NUL bytes' },
    });
  });
});

describe('decodeText', () => {
  it('honours UTF-16 byte-order marks (both endians)', () => {
    const little = new Uint8Array([0xff, 0xfe, ...Buffer.from('héllo ✓', 'utf16le')]);
    expect(decodeText(little, 'a.txt')).toEqual({ text: 'héllo ✓', encoding: 'utf-16le' });
    const swapped = Buffer.from('héllo', 'utf16le');
    swapped.swap16();
    expect(decodeText(new Uint8Array([0xfe, 0xff, ...swapped]), 'b.txt')).toEqual({
      text: 'héllo',
      encoding: 'utf-16be',
    });
  });

  it('strips a UTF-8 BOM and falls back to latin1 for invalid UTF-8', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]), 'c.txt')).toEqual({
      text: 'hi',
      encoding: 'utf-8',
    });
    // "café" in ISO-8859-1: the lone 0xE9 byte is not valid UTF-8.
    expect(decodeText(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'd.txt')).toEqual({
      text: 'café',
      encoding: 'latin1',
    });
  });

  it('rejects text full of control bytes as binary', () => {
    const bytes = new Uint8Array(100).fill(0x01);
    expect(() => decodeText(bytes, 'e.txt')).toThrow(BinaryFileError);
  });
});
