import type { CallTags } from '../call/call-tags.ts';
import type { RetryNotice } from './retry-notice.ts';

/** What to do when the answer was cut off (`max_tokens` or `model_context_window_exceeded`). */
export type TruncationPolicy =
  /** Throw `TruncatedOutputError` (it carries the full result). The default. */
  | 'error'
  /** Return the result with `truncated: true` (`outcome` `truncated` or `context_exceeded`). */
  | 'return';

/** Per-call options of `call()` and `stream()`. */
export interface CallOptions {
  /** Who and what the call is for; merged over the client's `defaultTags`. */
  tags?: CallTags;
  /** Aborts the call (and a stream in progress). Usage already spent is still recorded. */
  signal?: AbortSignal;
  /** What to do on a cut-off answer (`max_tokens`, `model_context_window_exceeded`). Default: the client's, else `error`. */
  onTruncation?: TruncationPolicy;
  /** Timeout of one HTTP attempt, ms. Default: the client's resilience setting. */
  timeoutMs?: number;
  /** Time allowed for the whole call including retries, ms. Default: the client's setting. */
  totalTimeoutMs?: number;
  /** The fallback chain for this call, or `false` for none. Default: the configured chain. */
  fallbacks?: string[] | false;
  /** Log the request and response text for this call (PII-scrubbed). Default: the client's. */
  logContent?: boolean;
  /** Extra HTTP headers for this call (for example `x-keel-scenario` against the emulator). */
  headers?: Record<string, string>;
  /** Told before every retry of this call (after a failed attempt, before the wait), so a UI
   * can show "overloaded, retrying in 2 s". Throwing here does not affect the call. */
  onRetry?: (retry: RetryNotice) => void;
  /**
   * Told once the call is admitted, before its request is sent: with the budget hold taken for it
   * when the client has budgets (the call's worst case), else with `undefined`. A call refused by a
   * budget never calls it, so a caller can wait for this (or the call's failure) to know whether
   * the call went out. Throwing here does not affect the call.
   */
  onReserved?: (hold: CallHold | undefined) => void;
}

/** The budget hold a call took before it was sent (see `CallOptions.onReserved`). */
export interface CallHold {
  /** The worst case held, in picodollars. */
  readonly picoUsd: bigint;
  /** The worst case held, in tokens (estimated input plus `max_tokens`). */
  readonly tokens: number;
  /** The model of the chain the worst case was priced at. */
  readonly model: string;
  /** The input tokens the hold counts (an upper estimate). */
  readonly inputTokens: number;
  /** The limits the call counts against. */
  readonly limitIds: readonly string[];
}
