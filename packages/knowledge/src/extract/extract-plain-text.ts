import type { DocumentBlock, ExtractedDocument } from './extracted-document.ts';

/** Plain text: paragraphs are separated by blank lines; there is no title. */
export function extractPlainText(source: string): ExtractedDocument {
  const blocks: DocumentBlock[] = source
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0)
    .map((text) => ({ kind: 'paragraph', text }));
  return { title: null, blocks };
}
