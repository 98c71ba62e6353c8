import type { MessagesCallOptions, MessagesCaller } from '../call/messages-caller.ts';
import type { PromptTemplate } from '../prompts/prompt-template.ts';
import type { ToolLogger } from '../tools/tool-context.ts';
import type { MessageParam } from '../call/conversation-shape.ts';
import type { ContextState } from './conversation-store.ts';
import { extractMemory } from './memory-extraction.ts';
import { summarizeTrimmed } from './summarize-trimmed.ts';
import { messageText } from './trim-strategy.ts';

/**
 * Characters of newly trimmed turns sent to the summary and memory prompts, the oldest kept: about
 * 10,000 tokens of English at 4 characters a token, so one step that trims a great deal (a new
 * model with a smaller window, a first turn over a long imported history) stays one cheap call.
 * Chosen, not measured.
 */
export const transcriptCharacterLimit = 40_000;

/** The trimmed turns as the prompts take them: one `role: text` line each, cut to the limit. */
export function trimmedTranscript(dropped: readonly MessageParam[]): string {
  return dropped
    .map((message) => `${message.role}: ${messageText(message)}`)
    .join('\n')
    .slice(0, transcriptCharacterLimit);
}

/** A cheap model and the prompt it is sent. */
export interface CheapPrompt {
  caller: MessagesCaller;
  model: string;
  prompt: PromptTemplate;
}

/** Options of {@link foldTrimmedTurns}. */
export interface FoldTrimmedTurnsOptions {
  context: ContextState;
  /** The turns trimmed since the previous turn. */
  dropped: readonly MessageParam[];
  /** Keep a running summary; off when undefined. */
  summarize?: CheapPrompt | undefined;
  /** Keep a structured memory; off when undefined. */
  memory?: CheapPrompt | undefined;
  /** The user and session that pay for these calls. */
  tags?: MessagesCallOptions['tags'];
  logger: ToolLogger;
}

/** Folds newly trimmed turns into the summary and the structured memory. */
export async function foldTrimmedTurns(options: FoldTrimmedTurnsOptions): Promise<ContextState> {
  const { context, tags, logger } = options;
  const transcript = trimmedTranscript(options.dropped);
  if (!transcript) return context;
  const summary = options.summarize
    ? await summarizeTrimmed({
        ...options.summarize,
        summary: context.summary,
        transcript,
        ...(tags ? { tags } : {}),
        logger,
      })
    : context.summary;
  const memory = options.memory
    ? await extractMemory({
        ...options.memory,
        memory: context.memory,
        transcript,
        ...(tags ? { tags } : {}),
        logger,
      })
    : context.memory;
  return { ...context, summary, memory };
}
