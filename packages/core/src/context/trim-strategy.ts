import { KeelError } from '@keel/errors';
import { contentBlocks, safeCutPoints, type MessageParam } from '../call/conversation-shape.ts';

/** Counts the tokens one message adds to a request. */
export type MessageTokenCounter = (message: MessageParam) => number;

/** What a strategy remembers between turns of one conversation (stored with the conversation). */
export interface TrimState {
  /** Index of the first message still sent; everything before it is trimmed. */
  start: number;
}

export interface TrimInput {
  /** The whole stored history, ending with the new user message. */
  messages: readonly MessageParam[];
  /** Tokens the history may use: the window share minus max_tokens and the fixed layers. */
  budgetTokens: number;
  countTokens: MessageTokenCounter;
  /** The state the strategy returned on the previous turn. */
  state?: TrimState;
}

export interface TrimResult {
  /** Index into `messages` of the first message sent. */
  start: number;
  /** The messages to send (may have old tool results cleared when one turn alone is too big). */
  messages: MessageParam[];
  /** How many old tool results had their content replaced to fit. */
  clearedToolResults: number;
  /** Estimated tokens of `messages`. */
  tokens: number;
  state: TrimState;
}

/** A way of choosing which part of a long history is sent. */
export interface TrimStrategy {
  readonly name: string;
  trim(input: TrimInput): TrimResult;
}

/** Raised when even the newest turn, with old tool results cleared, cannot fit the window. */
export class ContextOverflowError extends KeelError<
  {
    budgetTokens: number;
    neededTokens: number;
  },
  'context_overflow'
> {
  constructor(budgetTokens: number, neededTokens: number) {
    super(
      'context_overflow',
      `The newest turn needs ${neededTokens} tokens but only ${budgetTokens} fit the context window; shorten the message or its attachments, or raise the window share`,
      { budgetTokens, neededTokens },
    );
  }
}

/** Token totals of every suffix: suffix[i] = tokens of messages[i..]. */
function suffixTokens(messages: readonly MessageParam[], count: MessageTokenCounter): number[] {
  const suffix = new Array<number>(messages.length + 1).fill(0);
  for (let i = messages.length - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + count(messages[i]!);
  return suffix;
}

/** The earliest safe cut point at or after `from` whose suffix fits `budget`, or undefined. */
function earliestFittingCut(
  points: number[],
  suffix: number[],
  from: number,
  budget: number,
): number | undefined {
  return points.find((point) => point >= from && suffix[point]! <= budget);
}

const trimmedNotice = '[trimmed to save context; ask again if this result is needed]';

/**
 * Keeps the history from `start`, and when even that is too big (one turn with huge tool results),
 * replaces the content of the oldest tool results with a short notice. Pairs stay intact: the
 * tool_result blocks remain, only their content shrinks.
 */
function fitFrom(input: TrimInput, start: number, suffix: number[]): TrimResult {
  let messages = input.messages.slice(start);
  let tokens = suffix[start]!;
  let cleared = 0;
  if (tokens > input.budgetTokens) {
    messages = messages.map((message) => ({ ...message }));
    for (let i = 0; i < messages.length - 1 && tokens > input.budgetTokens; i++) {
      const message = messages[i]!;
      if (message.role !== 'user' || typeof message.content === 'string') continue;
      const before = input.countTokens(message);
      message.content = message.content.map((block) => {
        if (block.type !== 'tool_result' || block.content === trimmedNotice) return block;
        cleared++;
        return { ...block, content: trimmedNotice };
      });
      tokens -= before - input.countTokens(message);
    }
    if (tokens > input.budgetTokens) throw new ContextOverflowError(input.budgetTokens, tokens);
  }
  return { start, messages, clearedToolResults: cleared, tokens, state: { start } };
}

function lastSafePoint(points: number[], fallback: number): number {
  return points.length > 0 ? points[points.length - 1]! : fallback;
}

/** Sends everything while it fits; the baseline that fails once a conversation outgrows the window. */
export function fullHistory(): TrimStrategy {
  return {
    name: 'full-history',
    trim: (input) => {
      const suffix = suffixTokens(input.messages, input.countTokens);
      return fitFrom(input, 0, suffix);
    },
  };
}

/** The last N messages (extended back to a safe start), and never more than fits. */
export function lastMessages(count: number): TrimStrategy {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError('lastMessages() takes a positive integer');
  return {
    name: `last-${count}`,
    trim: (input) => {
      const points = safeCutPoints(input.messages);
      const suffix = suffixTokens(input.messages, input.countTokens);
      const wanted = Math.max(0, input.messages.length - count);
      const atOrBefore = points.filter((point) => point <= wanted);
      let start = atOrBefore.length > 0 ? atOrBefore[atOrBefore.length - 1]! : (points[0] ?? 0);
      if (suffix[start]! > input.budgetTokens) {
        start =
          earliestFittingCut(points, suffix, start, input.budgetTokens) ??
          lastSafePoint(points, start);
      }
      return fitFrom(input, start, suffix);
    },
  };
}

/** As many of the newest messages as fit the budget, filled newest to oldest. */
export function tokenBudget(): TrimStrategy {
  return {
    name: 'token-budget',
    trim: (input) => {
      const points = safeCutPoints(input.messages);
      const suffix = suffixTokens(input.messages, input.countTokens);
      const start =
        earliestFittingCut(points, suffix, 0, input.budgetTokens) ?? lastSafePoint(points, 0);
      return fitFrom(input, start, suffix);
    },
  };
}

export interface SteppedWindowOptions {
  /**
   * When the history no longer fits, it is cut down to this share of the budget, so the kept
   * prefix stays byte-identical (and cached) for many turns before the next cut. Default 0.5.
   */
  targetShare?: number;
}

/**
 * Keel's default: cache-friendly trimming. The start of the history moves only when the budget is
 * exceeded, and then by a large step, instead of sliding one message per turn (which changes the
 * prefix, and so misses the prompt cache, on every turn).
 */
export function steppedWindow(options: SteppedWindowOptions = {}): TrimStrategy {
  const targetShare = options.targetShare ?? 0.5;
  if (!(targetShare > 0 && targetShare <= 1)) throw new RangeError('targetShare must be in (0, 1]');
  return {
    name: 'stepped-window',
    trim: (input) => {
      const points = safeCutPoints(input.messages);
      const suffix = suffixTokens(input.messages, input.countTokens);
      // Messages are only ever appended, so the previous start is still a safe point.
      const previous = input.state?.start ?? 0;
      const current = previous < input.messages.length ? previous : 0;
      if (suffix[current]! <= input.budgetTokens) return fitFrom(input, current, suffix);
      const start =
        earliestFittingCut(points, suffix, current, Math.floor(input.budgetTokens * targetShare)) ??
        earliestFittingCut(points, suffix, current, input.budgetTokens) ??
        lastSafePoint(points, current);
      return fitFrom(input, start, suffix);
    },
  };
}

/** The plain text inside a message (text, tool inputs and results), for search and summaries. */
export function messageText(message: MessageParam): string {
  return contentBlocks(message)
    .map((block) => {
      if (block.type === 'text') return block.text;
      if (block.type === 'tool_result') {
        return typeof block.content === 'string'
          ? block.content
          : (block.content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join(' ');
      }
      if (block.type === 'tool_use') return JSON.stringify(block.input);
      return '';
    })
    .join('\n');
}
