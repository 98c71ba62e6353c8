import type { DocumentBlock, ExtractedDocument } from '../extract/extracted-document.ts';
import { splitSentences, splitUnits } from './split-sentences.ts';

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
  /** Characters of trailing sentences repeated at the start of the next chunk when a paragraph
   * is cut in two for size. Default 200. 0 disables overlap. */
  overlapChars?: number;
  /** A section shorter than this is merged with the next one instead of standing alone.
   * Default 300. */
  minChars?: number;
}

interface Piece {
  text: string;
  kind: DocumentBlock['kind'];
  page: number | undefined;
  /** Index of the block the piece came from: pieces of one block join as one paragraph. */
  block: number;
}

/**
 * Structure-aware chunking: a new chunk starts at a heading (unless the current one is still
 * tiny), paragraphs and code blocks stay whole when they fit, an over-long paragraph is split on
 * sentences (code on lines), and where a paragraph is cut in two the next chunk repeats its last
 * sentences as overlap, so no claim loses its context at the cut.
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
  let headings: string[] = [];
  let hasContent = false;

  const joinerBefore = (piece: Piece) => {
    const last = pieces.at(-1);
    if (!last) return '';
    if (last.block !== piece.block) return '\n\n';
    return piece.kind === 'code' ? '\n' : ' ';
  };
  const length = () =>
    pieces.reduce((sum, piece, index) => sum + piece.text.length + (index > 0 ? 2 : 0), 0);

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
    hasContent = false;
    headings = [...trail];
    if (withOverlap && overlapChars > 0 && last?.kind === 'paragraph') {
      const tail = overlapTail(last.text, overlapChars);
      if (tail) pieces.push({ ...last, text: tail });
    }
  };

  /** Appends a unit of text, extending the previous piece when it comes from the same block. */
  const add = (piece: Piece) => {
    let joiner = joinerBefore(piece);
    if (hasContent && length() + joiner.length + piece.text.length > maxChars) {
      // Overlap only where a block is cut mid-way; a new paragraph starts a clean chunk.
      close(pieces.at(-1)?.block === piece.block);
      joiner = joinerBefore(piece);
    }
    if (!hasContent && length() + joiner.length + piece.text.length > maxChars) {
      // Only headings or overlap so far: drop them rather than exceed the bound.
      pieces = [];
      joiner = '';
    }
    if (pieces.length === 0) headings = [...trail];
    const last = pieces.at(-1);
    if (last && last.block === piece.block) last.text += joiner + piece.text;
    else pieces.push({ ...piece });
    hasContent = true;
  };

  document.blocks.forEach((block, index) => {
    if (block.kind === 'heading') {
      if (length() >= minChars) close(false);
      levels.length = Math.max(0, block.level - 1);
      levels[block.level - 1] = block.text;
      // Skipped levels (an h3 straight under an h1) leave holes that the trail leaves out.
      trail = levels.filter((heading): heading is string => Boolean(heading));
      if (length() + block.text.length + 2 > maxChars) close(false);
      if (pieces.length === 0) headings = [...trail];
      pieces.push({ text: block.text, kind: 'heading', page: undefined, block: index });
      return;
    }
    const page = block.kind === 'paragraph' ? block.page : undefined;
    // A block that fits is one unit; a bigger one is cut into sentences (lines for code), each
    // short enough to follow an overlap.
    const units =
      block.text.length <= maxChars
        ? [block.text]
        : splitUnits(
            block.text,
            block.kind === 'code' ? 'line' : 'sentence',
            maxChars - overlapChars,
          );
    for (const text of units) add({ text, kind: block.kind, page, block: index });
  });
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
