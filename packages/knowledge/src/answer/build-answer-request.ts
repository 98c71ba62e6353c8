import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { RetrievedChunk } from '../index/retrieve.ts';
import { notFoundMarker } from './answer-types.ts';
import { loadPrompt } from './load-prompt.ts';

/** Options for {@link buildAnswerRequest}. */
export interface BuildAnswerRequestOptions {
  /** The user's question. */
  question: string;
  /** The retrieved chunks, best first; each becomes one document block. */
  chunks: RetrievedChunk[];
  /** Model id. */
  model: string;
  /** Output token cap. */
  maxTokens: number;
}

/** The title shown for a chunk: its document's title and heading trail. */
export function chunkTitle(chunk: RetrievedChunk['chunk']): string {
  return [chunk.title, ...chunk.headings.filter((heading) => heading !== chunk.title)].join(' › ');
}

/**
 * The Messages request for a grounded answer. Layout, most stable first so the cache prefix is
 * long: the system prompt (cached: identical for every question), then one `document` block per
 * chunk with citations enabled and the cache breakpoint on the last one (a follow-up on the same
 * context reads it from cache), then the question.
 */
export function buildAnswerRequest(
  options: BuildAnswerRequestOptions,
): MessageCreateParamsNonStreaming {
  const documents = options.chunks.map(({ chunk }, index) => ({
    type: 'document' as const,
    source: { type: 'text' as const, media_type: 'text/plain' as const, data: chunk.text },
    title: chunkTitle(chunk),
    context: `Source: ${chunk.source}${chunk.page === undefined ? '' : `, page ${chunk.page}`} (chunk ${chunk.id})`,
    citations: { enabled: true },
    ...(index === options.chunks.length - 1
      ? { cache_control: { type: 'ephemeral' as const } }
      : {}),
  }));
  return {
    model: options.model,
    max_tokens: options.maxTokens,
    system: [
      {
        type: 'text',
        text: loadPrompt('answer-system', { notFoundMarker }),
        cache_control: { type: 'ephemeral' },
      },
    ],
    messages: [{ role: 'user', content: [...documents, { type: 'text', text: options.question }] }],
  };
}
