import type { TextCitation } from '@anthropic-ai/sdk/resources/messages/messages';
import type { RetrievedChunk } from '../index/retrieve.ts';
import type { Citation } from './answer-types.ts';

/**
 * Turns one API citation into Keel's shape. Document citations name the document by its index
 * in the request, which is the index of the chunk in `chunks`. Citations of other kinds (web
 * search) cannot come from a knowledge-base request and are dropped.
 */
export function toCitation(
  citation: TextCitation,
  chunks: RetrievedChunk[],
  answerOffset: number,
): Citation | null {
  if (
    citation.type !== 'char_location' &&
    citation.type !== 'page_location' &&
    citation.type !== 'content_block_location'
  ) {
    return null;
  }
  const retrieved = chunks[citation.document_index];
  if (!retrieved) return null;
  const { chunk } = retrieved;
  return {
    source: chunk.source,
    chunkId: chunk.id,
    title: chunk.title,
    citedText: citation.cited_text,
    startChar: citation.type === 'char_location' ? citation.start_char_index : null,
    endChar: citation.type === 'char_location' ? citation.end_char_index : null,
    ...(chunk.page === undefined ? {} : { page: chunk.page }),
    answerOffset,
  };
}
