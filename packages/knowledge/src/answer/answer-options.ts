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
  /** What the answer is for, routed to a model. Default `document_analysis`. */
  task?: string;
  /** A model id, overriding the routing of `task`. */
  model?: string;
  /** Output token cap. Default 1024. */
  maxTokens?: number;
  /** Embedding provider for hybrid retrieval; text-only without it. */
  embeddings?: EmbeddingProvider;
  /** Retrieval settings: how many chunks, relevance thresholds. */
  retrieval?: Omit<RetrieveOptions, 'index' | 'query' | 'embeddings'>;
}

/** The task an answer is routed by unless `task` or `model` is given. */
export const defaultAnswerTask = 'document_analysis';
