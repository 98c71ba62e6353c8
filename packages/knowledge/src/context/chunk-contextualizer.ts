import { loadPrompt } from '../answer/load-prompt.ts';
import type { MessagesClient } from '../answer/answer-types.ts';
import { modelForTask } from '../answer/model-for-task.ts';

/** Writes, for each chunk, a short text situating it in its document (contextual retrieval). */
export interface ChunkContextualizer {
  /** Model id, recorded with the contexts. */
  readonly model: string;
  /** One context per chunk, in order. */
  contextualize(input: {
    documentTitle: string;
    documentText: string;
    chunks: string[];
  }): Promise<string[]>;
}

/** Options for {@link claudeChunkContextualizer}. */
export interface ClaudeChunkContextualizerOptions {
  /** The Claude client. */
  client: MessagesClient;
  /** What writing the contexts is, routed to a (cheap) model. Default `summarization`. */
  task?: string;
  /** A model id, overriding the routing of `task`. */
  model?: string;
  /** Output cap per context. Default 200 tokens. */
  maxTokens?: number;
  /** Chunks in flight at once after the first (which writes the cache). Default 4. */
  concurrency?: number;
}

/**
 * Contextual retrieval as Anthropic published it: the cheap model reads the whole document,
 * held in a cached system block so every chunk after the first reads it from cache, and writes
 * one or two sentences placing each chunk in the document. The contexts are indexed with the
 * chunks (and embedded with them), once per document version.
 */
export function claudeChunkContextualizer(
  options: ClaudeChunkContextualizerOptions,
): ChunkContextualizer {
  const model = options.model ?? modelForTask(options.client, options.task ?? 'summarization');
  const maxTokens = options.maxTokens ?? 200;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const instructions = loadPrompt('chunk-context');

  return {
    model,
    async contextualize({ documentTitle, documentText, chunks }) {
      const system = [
        { type: 'text' as const, text: instructions },
        {
          type: 'text' as const,
          text: `<document title="${documentTitle.replace(/"/g, "'")}">\n${documentText}\n</document>`,
          cache_control: { type: 'ephemeral' as const },
        },
      ];
      const contextFor = async (chunk: string): Promise<string> => {
        const message = await options.client.messages.create({
          model,
          max_tokens: maxTokens,
          system,
          messages: [{ role: 'user', content: `<passage>\n${chunk}\n</passage>` }],
        });
        return message.content
          .flatMap((block) => (block.type === 'text' ? [block.text] : []))
          .join('')
          .trim();
      };
      const contexts = new Array<string>(chunks.length);
      if (chunks.length === 0) return contexts;
      // The first call writes the document into the cache; the rest read it concurrently.
      contexts[0] = await contextFor(chunks[0]!);
      let next = 1;
      const worker = async () => {
        while (next < chunks.length) {
          const index = next++;
          contexts[index] = await contextFor(chunks[index]!);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length - 1) }, worker));
      return contexts;
    },
  };
}
