import type { OutcomeNotice, TurnOutcome } from './turn-outcome.ts';

/** Whether answers come from Claude or from the embedded emulator. */
export type AssistantMode = 'claude' | 'emulator';

/** Tokens and cost of one answer (every model call of the turn, tool loop included). */
export interface TurnUsage {
  /** Uncached input tokens. */
  input: number;
  /** Output tokens. */
  output: number;
  /** Input tokens read from the prompt cache. */
  cacheRead: number;
  /** Cache writes, 5-minute and 1-hour together. */
  cacheWrite: number;
  /** Exact cost summed over priced calls, USD (display precision). */
  costUsd: number;
  /** Cache reads over all input-side tokens, 0..1. */
  cacheHitRatio: number;
  /** True when part of it comes from a stopped or broken stream. */
  partial: boolean;
  /** Model calls made. */
  calls: number;
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
 * The Server-Sent Events of `POST /api/sessions/:id/messages`, in order: `status`, then any of
 * the content events, then `usage` and `done` — or a typed `error` (after `usage` when tokens
 * were spent). The SSE event name equals `type`; `data` is the JSON of the rest.
 */
export type ChatEvent =
  | { type: 'status'; mode: AssistantMode; model: string; sessionId: string }
  | { type: 'text-delta'; text: string }
  | { type: 'thinking-start' }
  | { type: 'thinking-delta'; thinking: string }
  | { type: 'thinking-end' }
  | { type: 'tool-start'; name: string; input: unknown }
  | { type: 'tool-end'; name: string; isError: boolean; summary: string }
  | ({ type: 'citation' } & Citation)
  | { type: 'retry'; attempt: number; delayMs: number; reason: string }
  | ({ type: 'usage' } & TurnUsage)
  /**
   * The answer ended. `notice` (absent for `completed`) says in words what happened and what to
   * do next; clients show it on the answer rather than deriving their own.
   */
  | { type: 'done'; outcome: TurnOutcome; stopped: boolean; notice?: OutcomeNotice }
  | { type: 'error'; code: string; message: string; retryAfterSeconds?: number };

/** Every event name, checked against the union by the compiler. */
const chatEventTypes = {
  status: true,
  'text-delta': true,
  'thinking-start': true,
  'thinking-delta': true,
  'thinking-end': true,
  'tool-start': true,
  'tool-end': true,
  citation: true,
  retry: true,
  usage: true,
  done: true,
  error: true,
} satisfies Record<ChatEvent['type'], true>;

/**
 * The chat event of one SSE message, or undefined for an unknown name or non-object data, so a
 * newer server's events or a garbled line never reach a client's state.
 */
export function parseChatEvent(event: string, data: string): ChatEvent | undefined {
  if (!Object.hasOwn(chatEventTypes, event)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return { ...value, type: event } as ChatEvent;
}
