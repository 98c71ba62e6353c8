/**
 * The Server-Sent Events of `POST /api/sessions/:id/messages`, as the UI reads them. The wire is
 * the contract (the UI never imports server code); `parseChatEvent` keeps unknown or malformed
 * events out of the UI's state.
 */

/** Tokens and cost of one answer. */
export interface TurnUsage {
  /** Uncached input tokens. */
  input: number;
  /** Output tokens. */
  output: number;
  /** Input tokens read from the prompt cache. */
  cacheRead: number;
  /** Input tokens written to the prompt cache. */
  cacheWrite: number;
  /** Cost in USD. */
  costUsd: number;
  /** Cache reads over all input-side tokens, 0..1. */
  cacheHitRatio: number;
  /** True when part of it comes from a stopped or broken stream. */
  partial?: boolean;
  /** Model calls made. */
  calls?: number;
}

/** A citation: the source and the quoted span the answer relies on. */
export interface Citation {
  /** Where it comes from (a file path or URL). */
  source: string;
  /** The source's title. */
  title: string;
  /** The quoted span. */
  quote: string;
}

/**
 * How an answer ended; only `completed` is a finished answer. Kept in step with the server's
 * `TurnOutcome` (packages/server/src/chat/turn-outcome.ts) until the two copies become one.
 */
export type TurnOutcome =
  | 'completed'
  | 'truncated'
  | 'context_exceeded'
  | 'max_iterations'
  | 'max_cost'
  | 'refused'
  | 'stopped';

/** The server's words for an answer that did not simply finish: what happened, what to do next. */
export interface OutcomeNotice {
  /** A short headline, e.g. "Answer cut off". */
  title: string;
  /** What happened and what the person can do next. */
  body: string;
}

/** One event of a streamed answer. */
export type ChatEvent =
  | { type: 'status'; mode: 'claude' | 'emulator'; model: string; sessionId: string }
  | { type: 'text-delta'; text: string }
  | { type: 'thinking-start' }
  | { type: 'thinking-delta'; thinking: string }
  | { type: 'thinking-end' }
  | { type: 'tool-start'; name: string; input: unknown }
  | { type: 'tool-end'; name: string; isError: boolean; summary: string }
  | ({ type: 'citation' } & Citation)
  | { type: 'retry'; attempt: number; delayMs: number; reason: string }
  | ({ type: 'usage' } & TurnUsage)
  | { type: 'done'; outcome: TurnOutcome; stopped: boolean; notice?: OutcomeNotice }
  | { type: 'error'; code: string; message: string; retryAfterSeconds?: number };

const known = new Set<ChatEvent['type']>([
  'status',
  'text-delta',
  'thinking-start',
  'thinking-delta',
  'thinking-end',
  'tool-start',
  'tool-end',
  'citation',
  'retry',
  'usage',
  'done',
  'error',
]);

/** The chat event of one SSE message, or undefined for an unknown name or non-object data. */
export function parseChatEvent(event: string, data: string): ChatEvent | undefined {
  if (!known.has(event as ChatEvent['type'])) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return { ...(value as object), type: event } as ChatEvent;
}
