import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import { DocumentParseError } from '../errors/document-parse-error.ts';
import type { DocumentBlock, ExtractedDocument } from './extracted-document.ts';

/**
 * Reads a PDF's text layer page by page with PDF.js (through unpdf, pure JavaScript). Each page's
 * paragraphs carry their page number so answers can cite it. Scanned PDFs without a text layer
 * yield no blocks; there is no OCR.
 */
export async function extractPdf(bytes: Uint8Array, path: string): Promise<ExtractedDocument> {
  try {
    // PDF.js takes ownership of (detaches) the buffer it is given, so it gets a copy.
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const [{ text: pages }, meta] = await Promise.all([
      extractText(pdf, { mergePages: false }),
      getMeta(pdf).catch((): { info: Record<string, unknown> } => ({ info: {} })),
    ]);
    const blocks: DocumentBlock[] = [];
    pages.forEach((pageText, index) => {
      for (const paragraph of pageText.split(/\n\s*\n/)) {
        const text = paragraph.replace(/[ \t]+/g, ' ').trim();
        if (text) blocks.push({ kind: 'paragraph', text, page: index + 1 });
      }
    });
    await pdf.destroy();
    const title =
      typeof meta.info['Title'] === 'string' && meta.info['Title'].trim()
        ? meta.info['Title'].trim()
        : null;
    return { title, blocks };
  } catch (error) {
    throw new DocumentParseError(path, 'PDF', { cause: error });
  }
}
