import type { MessagesCaller, TokenCounts } from '@keel/protocol';
import type { RetrievedChunk } from '../index/retrieve.ts';

/**
 * The part of a Claude client that the knowledge base uses: its `messages`, as the one caller
 * interface of `@keel/protocol` (`create`, `stream`, and `route` for a routing table). The
 * official SDK's `Anthropic` fits as it is; so does Keel's client through
 * `{ messages: keelCaller(keel) }` (retries, exact cost, ledger).
 */
export interface MessagesClient {
  messages: MessagesCaller;
}

/** A claim's source, from Claude's native citations. */
export interface Citation {
  /** The cited document's source (file path or URI). */
  source: string;
  /** The cited chunk's id. */
  chunkId: string;
  /** The document's title. */
  title: string;
  /** The exact span of the chunk that supports the claim. */
  citedText: string;
  /** Character offsets of the span within the chunk's text, when the API gave them. */
  startChar: number | null;
  endChar: number | null;
  /** PDF page of the chunk, when known. */
  page?: number;
  /** Offset in the answer text of the text block carrying the citation (the cited claim). */
  answerOffset: number;
}

/** The result of answering a question from the knowledge base. */
export type Answer =
  | {
      outcome: 'answered';
      /** The answer text. */
      text: string;
      /** One entry per cited span, in answer order. */
      citations: Citation[];
      /** The chunks that were sent as context. */
      sources: RetrievedChunk[];
      /** The model that answered. */
      model: string;
      /** Usage of the call. */
      usage: TokenCounts;
    }
  | {
      outcome: 'not_found';
      /** `no_relevant_chunks`: retrieval found nothing, the model was not called.
       * `model_declined`: the model said the context does not hold the answer.
       * `uncited`: the model answered without citing anything, so nothing grounds it. */
      reason: 'no_relevant_chunks' | 'model_declined' | 'uncited';
      /** What the model said, when it was called. */
      text: string | null;
      /** The chunks that were sent (empty when the model was not called). */
      sources: RetrievedChunk[];
      /** Usage of the call, when the model was called. */
      usage: TokenCounts | null;
    };

/** Events of a streamed answer, in order: `sources`, then deltas, then `finish`. */
export type AnswerEvent =
  /** The retrieved context, before the model is called. */
  | { type: 'sources'; sources: RetrievedChunk[] }
  /** More answer text. */
  | { type: 'text-delta'; text: string }
  /** A citation attached to the text streamed so far. */
  | { type: 'citation'; citation: Citation }
  /** The final result, the same value the non-streaming form returns. */
  | { type: 'finish'; answer: Answer };

/** The marker the answer prompt asks the model to use when the context lacks the answer. */
export const notFoundMarker = 'NOT_IN_KNOWLEDGE_BASE';
