import type { EmbeddingProvider } from '../embed/embedding-provider.ts';
import type { KnowledgeIndex } from '../index/knowledge-index.ts';
import type { RetrieveOptions } from '../index/retrieve.ts';
import type { MessagesClient } from './answer-types.ts';

/** Options for {@link answerQuestion} and {@link streamAnswer}. */
export interface AnswerOptions {
  /** The user's question. */
  question: string;
  /** Where to look. */
  index: KnowledgeIndex;
  /** The Claude client: the official SDK's `Anthropic` (or anything with its `messages`). */
  client: MessagesClient;
  /** Model id. Default `claude-sonnet-5-5`. */
  model?: string;
  /** Output token cap. Default 1024. */
  maxTokens?: number;
  /** Embedding provider for hybrid retrieval; text-only without it. */
  embeddings?: EmbeddingProvider;
  /** Retrieval settings: how many chunks, relevance thresholds. */
  retrieval?: Omit<RetrieveOptions, 'index' | 'query' | 'embeddings'>;
}

export const defaultAnswerModel = 'claude-sonnet-5-5';
