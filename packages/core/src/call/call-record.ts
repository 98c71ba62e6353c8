import type { StopReason, Usage } from '@anthropic-ai/sdk/resources/messages/messages';
import type { CostResult } from '../cost/cost-result.ts';
import type { CallTags } from './call-tags.ts';
import type { TokenUsage } from './token-usage.ts';

/** A finished call, as handed to recorders (the ledger, custom sinks). */
export interface CallRecord {
  /** The call's id, when a recorder was told of its start (`CallStart.id`). */
  id?: string;
  /** `success`; `error` for a failure; `aborted` when the caller stopped it. */
  status: 'success' | 'error' | 'aborted';
  /** The Keel error code of a failure (e.g. `retry_exhausted`, `stream_interrupted`). */
  errorCode?: string;
  /** When the call started, ms since the epoch. */
  startedAt: number;
  /** Wall time including retries, ms. */
  durationMs: number;
  /** For streams: time to the first content, ms. */
  timeToFirstTokenMs?: number;
  /** The model asked for (after routing). */
  modelRequested: string;
  /** The model that served, when a response started. */
  modelServed?: string;
  /** The routed task. */
  task?: string;
  /** The server's request id. */
  requestId?: string;
  /** Retries made. */
  retries: number;
  /** Whether the call streamed. */
  stream: boolean;
  /** The stop reason, for successes. */
  stopReason?: StopReason | null;
  /** Tokens by bucket (partial for interrupted or aborted streams). */
  usage?: TokenUsage;
  /** The API's raw usage object (merged from the stream events for streams). */
  rawUsage?: Usage;
  /** The cost (partial for interrupted or aborted streams). */
  cost?: CostResult;
  /** The call's tags. */
  tags: CallTags;
}
