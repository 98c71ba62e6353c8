import { extname } from 'node:path';
import { UnsupportedFormatError } from '../errors/unsupported-format-error.ts';
import { decodeText } from './decode-text.ts';
import { extractDocx } from './extract-docx.ts';
import { extractHtml } from './extract-html.ts';
import { extractMarkdown } from './extract-markdown.ts';
import { extractPdf } from './extract-pdf.ts';
import { extractPlainText } from './extract-plain-text.ts';
import type { DocumentFormat, ExtractedDocument } from './extracted-document.ts';

const formatsByExtension: Record<string, DocumentFormat> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdx': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.rst': 'text',
  '.log': 'text',
  '.csv': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.pdf': 'pdf',
  '.docx': 'docx',
};

/** The format a path is read as, or null when no extractor handles it. */
export function formatOf(path: string): DocumentFormat | null {
  return formatsByExtension[extname(path).toLowerCase()] ?? null;
}

/** The extensions the knowledge base ingests (with the dot). */
export const supportedExtensions: readonly string[] = Object.keys(formatsByExtension);

/**
 * Turns a file's bytes into structured text. Throws {@link UnsupportedFormatError} for unknown
 * extensions, `BinaryFileError` for binary bytes in a text format, `DocumentParseError` for
 * corrupt PDF/DOCX files.
 */
export async function extractDocument(path: string, bytes: Uint8Array): Promise<ExtractedDocument> {
  const format = formatOf(path);
  switch (format) {
    case 'markdown':
      return extractMarkdown(decodeText(bytes, path).text);
    case 'text':
      return extractPlainText(decodeText(bytes, path).text);
    case 'html':
      return extractHtml(decodeText(bytes, path).text);
    case 'pdf':
      return extractPdf(bytes, path);
    case 'docx':
      return extractDocx(bytes, path);
    default:
      throw new UnsupportedFormatError(path, extname(path).toLowerCase());
  }
}
