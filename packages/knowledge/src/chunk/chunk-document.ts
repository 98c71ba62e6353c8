import type { DocumentBlock, ExtractedDocument } from '../extract/extracted-document.ts';
import { splitSentences, splitToFit } from './split-sentences.ts';

/** One retrievable piece of a document. */
export interface DocumentChunk {
  /** 0-based order of the chunk within its document. */
  position: number;
  /** The chunk's text: whole paragraphs and code blocks where they fit, headings as lines. */
  text: string;
  /** The heading trail in force where the chunk starts, outermost first. */
  headings: string[];
  /** The PDF page the chunk starts on, when known. */
  page?: number;
}

/** Size settings for {@link chunkDocument}. */
export interface ChunkOptions {
  /** Upper bound on a chunk's length in characters. Default 2000 (about 500 tokens). */
  maxChars?: number;
  /** Characters of trailing sentences repeated at the start of the next chunk when a section
   * is split for size. Default 200. 0 disables overlap. */
  overlapChars?: number;
  /** A section shorter than this is merged with the next one instead of standing alone.
   * Default 300. */
  minChars?: number;
}

interface Piece {
  text: string;
  kind: DocumentBlock['kind'];
  page: number | undefined;
}

/**
 * Structure-aware chunking: a new chunk starts at a heading (unless the current one is still
 * tiny), paragraphs and code blocks stay whole when they fit, an over-long paragraph is split on
 * sentences (code on lines), and a chunk closed for size hands its last sentences to the next one
 * as overlap so no claim loses its context at a boundary.
 */
export function chunkDocument(
  document: ExtractedDocument,
  options: ChunkOptions = {},
): DocumentChunk[] {
  const maxChars = options.maxChars ?? 2000;
  const overlapChars = Math.min(options.overlapChars ?? 200, Math.floor(maxChars / 4));
  const minChars = options.minChars ?? 300;
  const chunks: DocumentChunk[] = [];
  const levels: Array<string | undefined> = [];
  let trail: string[] = [];
  let pieces: Piece[] = [];
  let length = 0;
  let headings: string[] = [];
  let hasContent = false;

  const close = (withOverlap: boolean) => {
    if (hasContent) {
      const page = pieces.find((piece) => piece.page !== undefined)?.page;
      chunks.push({
        position: chunks.length,
        text: pieces.map((piece) => piece.text).join('\n\n'),
        headings,
        ...(page === undefined ? {} : { page }),
      });
    }
    const last = pieces.at(-1);
    pieces = [];
    length = 0;
    hasContent = false;
    headings = [...trail];
    if (withOverlap && overlapChars > 0 && last?.kind === 'paragraph') {
      const tail = overlapTail(last.text, overlapChars);
      if (tail) add({ text: tail, kind: 'paragraph', page: last.page }, false);
    }
  };

  const add = (piece: Piece, content = true) => {
    if (pieces.length === 0) headings = [...trail];
    pieces.push(piece);
    length += piece.text.length + (pieces.length > 1 ? 2 : 0);
    hasContent ||= content;
  };

  for (const block of document.blocks) {
    if (block.kind === 'heading') {
      if (length >= minChars) close(false);
      levels.length = Math.max(0, block.level - 1);
      levels[block.level - 1] = block.text;
      // Skipped levels (an h3 straight under an h1) leave holes that the trail leaves out.
      trail = levels.filter((heading): heading is string => Boolean(heading));
      if (length + block.text.length + 2 > maxChars) close(false);
      add({ text: block.text, kind: 'heading', page: undefined }, false);
      continue;
    }
    const page = block.kind === 'paragraph' ? block.page : undefined;
    const parts = splitToFit(block.text, maxChars, block.kind === 'code' ? 'line' : 'sentence');
    for (const part of parts) {
      if (hasContent && length + part.length + 2 > maxChars) close(true);
      else if (!hasContent && length + part.length + 2 > maxChars) {
        // Only headings or overlap so far: drop them rather than exceed the bound.
        pieces = [];
        length = 0;
      }
      add({ text: part, kind: block.kind, page });
    }
  }
  close(false);
  return chunks;
}

/** The last sentences of `text` that fit in `limit` characters. */
function overlapTail(text: string, limit: number): string {
  const sentences = splitSentences(text);
  const kept: string[] = [];
  let size = 0;
  for (let index = sentences.length - 1; index >= 0; index--) {
    const sentence = sentences[index]!;
    if (size + sentence.length > limit) break;
    kept.unshift(sentence);
    size += sentence.length + 1;
  }
  // Never repeat a whole paragraph: overlap is a tail, not a copy.
  return kept.length === sentences.length ? '' : kept.join(' ');
}
