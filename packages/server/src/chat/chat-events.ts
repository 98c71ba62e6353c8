import type { OutcomeNotice, TurnOutcome } from './turn-outcome.ts';

export type { OutcomeNotice, TurnOutcome } from './turn-outcome.ts';

/** Whether answers come from Claude or from the embedded emulator. */
export type AssistantMode = 'claude' | 'emulator';

/** Tokens and cost of one answer (every model call of the turn, tool loop included). */
export interface TurnUsage {
  /** Uncached input tokens. */
  input: number;
  output: number;
  cacheRead: number;
  /** Cache writes, 5-minute and 1-hour together. */
  cacheWrite: number;
  /** Exact cost summed over priced calls, USD (display precision). */
  costUsd: number;
  /** Cache reads over all input-side tokens. */
  cacheHitRatio: number;
  /** True when part of it comes from a stopped or broken stream. */
  partial: boolean;
  /** Model calls made. */
  calls: number;
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
  | { type: 'citation'; source: string; title: string; quote: string }
  | { type: 'retry'; attempt: number; delayMs: number; reason: string }
  | ({ type: 'usage' } & TurnUsage)
  /**
   * The answer ended. `notice` (absent for `completed`) says in words what happened and what to
   * do next; clients show it on the answer rather than deriving their own.
   */
  | { type: 'done'; outcome: TurnOutcome; stopped: boolean; notice?: OutcomeNotice }
  | { type: 'error'; code: string; message: string; retryAfterSeconds?: number };

/** Writes one event to the client; resolves when it is handed to the socket. */
export type EmitChatEvent = (event: ChatEvent) => void;
