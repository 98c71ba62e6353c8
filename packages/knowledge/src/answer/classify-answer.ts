import type { RetrievedChunk } from '../index/retrieve.ts';
import type { TokenCounts } from '@keel/protocol';
import { notFoundMarker, type Answer, type Citation } from './answer-types.ts';

/** Options for {@link classifyAnswer}. */
export interface ClassifyAnswerOptions {
  text: string;
  citations: Citation[];
  sources: RetrievedChunk[];
  model: string;
  usage: TokenCounts;
}

/**
 * Decides the outcome of a model reply: the not-found marker means the model declined; a reply
 * with no citation at all is not grounded in the knowledge base, so it is not passed off as an
 * answer either (its text is kept for display).
 */
export function classifyAnswer(options: ClassifyAnswerOptions): Answer {
  const { text, citations, sources, usage } = options;
  if (text.includes(notFoundMarker)) {
    const explanation = text.replace(notFoundMarker, '').trim();
    return { outcome: 'not_found', reason: 'model_declined', text: explanation, sources, usage };
  }
  if (citations.length === 0)
    return { outcome: 'not_found', reason: 'uncited', text, sources, usage };
  return { outcome: 'answered', text, citations, sources, model: options.model, usage };
}

/** The SDK's usage object in Keel's shape. */
export function usageOf(usage: {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}): TokenCounts {
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cacheCreationInputTokens: usage.cache_creation_input_tokens ?? 0,
    cacheReadInputTokens: usage.cache_read_input_tokens ?? 0,
  };
}
