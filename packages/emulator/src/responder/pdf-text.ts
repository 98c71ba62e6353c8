import { inflateSync } from 'node:zlib';

/**
 * The text layer of a PDF, read from its content streams: the strings shown by `Tj`, `TJ`, `'`
 * and `"`, with line breaks where text moves to a new line. Enough for PDFs written with
 * simple fonts (reports, invoices, generated documents); text drawn with composite fonts
 * (hex glyph ids that need a ToUnicode map) and scanned pages have no readable layer here, and
 * the responder then names the PDF by title only. Never throws on malformed input.
 */
export function pdfText(base64: string): string {
  return pdfPageTexts(base64).join('\n').trim();
}

/**
 * The text of each page-content stream in file order (one per page in simple PDFs, which is
 * what page citations count), empty streams left out.
 */
export function pdfPageTexts(base64: string): string[] {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return [];
  const raw = bytes.toString('latin1');
  const pieces: string[] = [];
  for (const match of raw.matchAll(/<<((?:(?!>>\s*stream)[\s\S]){0,2000})>>\s*stream\r?\n/g)) {
    const dictionary = match[1]!;
    if (/\/Subtype\s*\/Image|\/Type\s*\/(?:XObject|XRef|ObjStm|Metadata)/.test(dictionary))
      continue;
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    if (end === -1) continue;
    let content = bytes.subarray(start, end);
    if (/\/FlateDecode/.test(dictionary)) {
      try {
        content = inflateSync(content);
      } catch {
        continue;
      }
    } else if (/\/Filter/.test(dictionary)) continue;
    const text = showTextOperators(content.toString('latin1'));
    if (text) pieces.push(text);
  }
  return pieces;
}

/** Reads a PDF literal string starting after its `(`; returns the text and where it ended. */
function literalString(source: string, from: number): { text: string; end: number } {
  let depth = 1;
  let text = '';
  let i = from;
  while (i < source.length) {
    const char = source[i]!;
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      const escapes: Record<string, string> = { n: '\n', r: '', t: ' ', b: '', f: '' };
      if (next in escapes) text += escapes[next];
      else if (/[0-7]/.test(next)) {
        const octal = source.slice(i + 1, i + 4).match(/^[0-7]{1,3}/)![0];
        text += String.fromCharCode(parseInt(octal, 8));
        i += octal.length - 1;
      } else if (next === '\r' || next === '\n') {
        // A backslash at the end of a line continues the string.
      } else text += next;
      i += 2;
      continue;
    }
    if (char === '(') depth++;
    if (char === ')' && --depth === 0) return { text, end: i + 1 };
    text += char;
    i++;
  }
  return { text, end: i };
}

/** The text a content stream shows, a new line per text-positioning move to a new line. */
function showTextOperators(stream: string): string {
  if (!/\bBT\b/.test(stream)) return '';
  let out = '';
  let pending: string[] = [];
  const tokens = /\(|\[|\]|<([0-9A-Fa-f\s]*)>|(-?\d*\.?\d+)|\/[^\s/[\]()<>]+|([A-Za-z'"*]+)/g;
  let match: RegExpExecArray | null;
  while ((match = tokens.exec(stream)) !== null) {
    const token = match[0];
    if (token === '(') {
      const literal = literalString(stream, tokens.lastIndex);
      pending.push(literal.text);
      tokens.lastIndex = literal.end;
    } else if (match[2] !== undefined) {
      // Inside a TJ array a large negative kerning is the gap between two words.
      if (pending.length > 0 && Number(match[2]) <= -200) pending.push(' ');
    } else if (match[3] !== undefined) {
      const operator = match[3];
      if (operator === 'Tj' || operator === 'TJ') out += pending.join('');
      else if (operator === "'" || operator === '"') out += `\n${pending.join('')}`;
      else if (operator === 'Td' || operator === 'TD' || operator === 'T*' || operator === 'Tm') {
        if (out !== '' && !out.endsWith('\n')) out += '\n';
      } else if (operator === 'ET' && out !== '' && !out.endsWith('\n')) out += '\n';
      pending = [];
    }
  }
  return out
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}
