import mammoth from 'mammoth';
import { DocumentParseError } from '../errors/document-parse-error.ts';
import { extractHtml } from './extract-html.ts';
import type { ExtractedDocument } from './extracted-document.ts';

/** Reads a Word document by converting it to semantic HTML with mammoth (headings survive). */
export async function extractDocx(bytes: Uint8Array, path: string): Promise<ExtractedDocument> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value;
  } catch (error) {
    throw new DocumentParseError(path, 'DOCX', { cause: error });
  }
  return extractHtml(html);
}
