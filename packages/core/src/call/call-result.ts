import type { Message, StopReason } from '@anthropic-ai/sdk/resources/messages/messages';
import type { CostResult } from '../cost/cost-result.ts';
import type { AttemptRecord } from '../resilience/attempt-record.ts';
import type { RateLimitSnapshot } from '../resilience/rate-limiter.ts';
import type { CallTags } from './call-tags.ts';
import type { TokenUsage } from './token-usage.ts';

/** How a call ended, as one value a caller can switch on. */
export type CallOutcome =
  /** `end_turn`: the model finished. */
  | 'complete'
  /** `max_tokens`: the output was cut off. */
  | 'truncated'
  /** `tool_use`: the model wants tools run. */
  | 'tool_use'
  /** `stop_sequence`: a stop sequence matched. */
  | 'stop_sequence'
  /** `pause_turn`: a server tool loop paused; send the message back to continue. */
  | 'paused'
  /** `refusal`: the model declined. */
  | 'refused'
  /**
   * `model_context_window_exceeded`: the context window filled up before the answer was done. The
   * output is cut off (`truncated` is true), as with `max_tokens`.
   */
  | 'context_exceeded';

const outcomes: Record<StopReason, CallOutcome> = {
  end_turn: 'complete',
  max_tokens: 'truncated',
  tool_use: 'tool_use',
  stop_sequence: 'stop_sequence',
  pause_turn: 'paused',
  refusal: 'refused',
  model_context_window_exceeded: 'context_exceeded',
};

/** The outcome for a stop reason (unknown or missing reasons read as `complete`). */
export function outcomeFromStopReason(stopReason: StopReason | null): CallOutcome {
  return (stopReason && outcomes[stopReason]) || 'complete';
}

/** Everything about one successful call. */
export interface CallResult {
  /** The API's message, as the SDK types it. */
  message: Message;
  /** The text blocks of the message, joined. */
  text: string;
  /** How the call ended. */
  outcome: CallOutcome;
  /**
   * True when the output is incomplete: the model stopped at `max_tokens` or filled its context
   * window (`model_context_window_exceeded`); `outcome` says which.
   */
  truncated: boolean;
  /** The API's stop reason. */
  stopReason: StopReason | null;
  /** Tokens by bucket. */
  usage: TokenUsage;
  /** The exact cost, or an unpriced marker (never a silent $0). */
  cost: CostResult;
  /** The model asked for (after routing). */
  modelRequested: string;
  /** The model that served the call (differs from `modelRequested` after a fallback). */
  modelServed: string;
  /** True when a fallback model served the call. */
  fallbackUsed: boolean;
  /** The server's request id. */
  requestId: string | undefined;
  /** Failed attempts before the one that succeeded. */
  retries: number;
  /** Every attempt, in order. */
  attempts: AttemptRecord[];
  /** Wall time of the whole call including retries, ms. */
  durationMs: number;
  /** For streams: time until the first content reached the caller, ms. */
  timeToFirstTokenMs?: number;
  /** The call's tags. */
  tags: CallTags;
  /** The latest `anthropic-ratelimit-*` figures seen for the serving model. */
  rateLimit?: RateLimitSnapshot;
}

/** The text blocks of a message, joined. */
export function messageText(message: Pick<Message, 'content'>): string {
  let text = '';
  for (const block of message.content) if (block.type === 'text') text += block.text;
  return text;
}
