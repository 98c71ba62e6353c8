import { deflateSync } from 'node:zlib';

/**
 * A small but well-formed PDF with one page per entry of `pages`, each line drawn with a
 * standard font, for tests that send PDFs (no fixture files). Returns base64.
 */
export function testPdf(pages: string[][], options: { compress?: boolean } = {}): string {
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 4 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  const streams: Buffer[] = [];
  pages.forEach((lines, i) => {
    const escaped = lines.map((line) => line.replace(/[\\()]/g, (c) => `\\${c}`));
    const content = `BT /F1 12 Tf 72 720 Td 14 TL ${escaped.map((line) => `(${line}) Tj T*`).join(' ')} ET`;
    const data = options.compress ? deflateSync(content) : Buffer.from(content, 'latin1');
    const filter = options.compress ? ' /Filter /FlateDecode' : '';
    objects[pageIds[i]!] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`;
    streams[pageIds[i]! + 1] = data;
    objects[pageIds[i]! + 1] = `<< /Length ${data.length}${filter} >>`;
  });
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = length;
    const stream = streams[id];
    const body = stream
      ? Buffer.concat([
          Buffer.from(`${id} 0 obj\n${objects[id]}\nstream\n`, 'latin1'),
          stream,
          Buffer.from('\nendstream\nendobj\n', 'latin1'),
        ])
      : Buffer.from(`${id} 0 obj\n${objects[id]}\nendobj\n`, 'latin1');
    parts.push(body);
    length += body.length;
  }
  const xref = [
    'xref',
    `0 ${objects.length}`,
    '0000000000 65535 f ',
    ...offsets.slice(1).map((offset) => `${String(offset).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length} /Root 1 0 R >>`,
    'startxref',
    String(length),
    '%%EOF',
  ].join('\n');
  parts.push(Buffer.from(`${xref}\n`, 'latin1'));
  return Buffer.concat(parts).toString('base64');
}
