import type { CallTags } from '../call/call-tags.ts';
import type { CostResult } from '../cost/cost-result.ts';
import type { TokenUsage } from '../call/token-usage.ts';

/** The one structured log line written per call. */
export interface CallLogRecord {
  /** Always `claude_call`. */
  event: 'claude_call';
  /** `success`, or the error code the caller received. */
  status: string;
  /** How the call ended (`complete`, `truncated`, `tool_use`, ...), for successes. */
  outcome?: string;
  /** Wall time including retries, ms. */
  durationMs: number;
  /** For streams: time to the first content, ms. */
  timeToFirstTokenMs?: number;
  /** The model asked for (after routing). */
  modelRequested: string;
  /** The model that served (after fallback). */
  modelServed?: string;
  /** The routed task, when one was given. */
  task?: string;
  /** The server's request id. */
  requestId?: string;
  /** Retries made. */
  retries: number;
  /** Whether the call streamed. */
  stream: boolean;
  /** The API's stop reason. */
  stopReason?: string | null;
  /** Tokens by bucket. */
  tokens?: Pick<
    TokenUsage,
    'input' | 'cacheWrite5m' | 'cacheWrite1h' | 'cacheRead' | 'output' | 'partial'
  >;
  /** Exact cost as decimal USD text, or `unpriced`. */
  costUsd?: string;
  /** Tags. */
  feature?: string;
  user?: string;
  session?: string;
  promptId?: string;
  promptVersion?: string;
  /** The error message, secrets and PII scrubbed. */
  error?: string;
  /** Request and response text, only when content logging is on (scrubbed). */
  content?: { request: string; response: string };
}

/** Adds the tag, token and cost fields to a log record. */
export function addLogFields(
  fields: Partial<CallLogRecord>,
  tags: CallTags,
  usage: TokenUsage | undefined,
  cost: CostResult | undefined,
): void {
  if (tags.feature !== undefined) fields.feature = tags.feature;
  if (tags.user !== undefined) fields.user = tags.user;
  if (tags.session !== undefined) fields.session = tags.session;
  if (tags.promptId !== undefined) fields.promptId = tags.promptId;
  if (tags.promptVersion !== undefined) fields.promptVersion = tags.promptVersion;
  if (usage) {
    fields.tokens = {
      input: usage.input,
      cacheWrite5m: usage.cacheWrite5m,
      cacheWrite1h: usage.cacheWrite1h,
      cacheRead: usage.cacheRead,
      output: usage.output,
      partial: usage.partial,
    };
  }
  if (cost) fields.costUsd = cost.priced ? cost.usdText : 'unpriced';
}
