import type Anthropic from '@anthropic-ai/sdk';
import type { ModelInfo } from '@keel/models';
import { estimateInputTokens } from '../tokens/estimate-tokens.ts';
import type { ContentBlockParam, MessageParam } from '../call/conversation-shape.ts';
import type { MessageTokenCounter, TrimResult, TrimStrategy } from './trim-strategy.ts';

/**
 * Share of the model's context window a request may fill, max_tokens included. The rest is left
 * for what a turn adds after its first request is prepared: the agent loop sends the same history
 * again with each tool call and result appended. A chosen margin, not a measured one (the token
 * estimate already errs high).
 */
export const defaultWindowShare = 0.8;

/**
 * Tokens kept free for the conversation memory block (summary, facts, decisions, preferences),
 * which is pinned after the history is trimmed and so cannot be counted before: the summary is
 * at most `max_tokens` of prompts/context-summary.md, 600 (a test checks the two stay in step).
 */
export const conversationMemoryAllowanceTokens = 600;

/** Options of {@link fitHistoryToWindow}. */
export interface FitHistoryToWindowOptions {
  /** The sendable history, ending with the new user message. */
  history: readonly MessageParam[];
  /** The model called: its context window and tokenizer. */
  model: Pick<ModelInfo, 'contextWindow' | 'tokenizer'>;
  /** The request's max_tokens, which the window must also hold. */
  maxTokens: number;
  system?: string | Anthropic.TextBlockParam[] | undefined;
  tools?: Anthropic.ToolUnion[] | undefined;
  /** Blocks pinned before the history (documents, retrieved context). */
  pinned: readonly ContentBlockParam[];
  /** Share of the window the request may fill. */
  windowShare: number;
  strategy: TrimStrategy;
  /** The first message sent on the previous turn (the stored `trimStart`). */
  previousStart: number;
  countMessageTokens: MessageTokenCounter;
}

/** Tokens of the layers sent whatever the history: system, tools, pinned blocks, memory allowance. */
export function fixedRequestTokens(
  options: Pick<
    FitHistoryToWindowOptions,
    'model' | 'system' | 'tools' | 'pinned' | 'countMessageTokens'
  >,
): number {
  const layers = estimateInputTokens(
    {
      messages: [],
      ...(options.system !== undefined ? { system: options.system } : {}),
      ...(options.tools ? { tools: options.tools } : {}),
    },
    { tokenizer: options.model.tokenizer },
  );
  const pinned = options.pinned.reduce(
    (sum, block) => sum + options.countMessageTokens({ role: 'user', content: [block] }),
    0,
  );
  return layers + pinned + conversationMemoryAllowanceTokens;
}

/** Tokens the history may use: the window share minus max_tokens and the fixed layers. */
export function historyBudgetTokens(
  options: Pick<FitHistoryToWindowOptions, 'model' | 'maxTokens' | 'windowShare'> & {
    fixedTokens: number;
  },
): number {
  return (
    Math.floor(options.model.contextWindow * options.windowShare) -
    options.maxTokens -
    options.fixedTokens
  );
}

/**
 * Chooses the part of the history sent this turn: what fits the model's window beside the fixed
 * layers and max_tokens, as the trimming strategy decides from where it started last turn.
 * Throws ContextOverflowError when even the newest turn cannot fit.
 */
export function fitHistoryToWindow(options: FitHistoryToWindowOptions): TrimResult {
  const budgetTokens = historyBudgetTokens({
    ...options,
    fixedTokens: fixedRequestTokens(options),
  });
  return options.strategy.trim({
    messages: options.history,
    budgetTokens,
    countTokens: options.countMessageTokens,
    state: { start: Math.min(options.previousStart, options.history.length - 1) },
  });
}
