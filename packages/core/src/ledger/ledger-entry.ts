import type { CallTags } from '../call/call-tags.ts';
import type { CostResult } from '../cost/cost-result.ts';
import type { TokenBuckets } from '../cost/token-buckets.ts';

/**
 * A call's tags as the ledger keeps them: the named `CallTags` are indexed for reports; any other
 * string tag is kept with the entry as free-form data.
 */
export interface LedgerTags extends CallTags {
  /** Free-form tags. */
  [tag: string]: string | undefined;
}

/**
 * Where a call stands in the ledger: `started` (written before the request is sent; replaced when
 * the call ends), `complete` (the call ended, well or not: see `errorCode`), or `interrupted` (its
 * process died mid-call; start-up reconciliation closed it with an estimated spend).
 */
export type LedgerCallStatus = 'started' | 'complete' | 'interrupted';

/** What a caller hands to `LedgerStore.record`. */
export interface LedgerEntryInput {
  /**
   * A unique id; generated when absent. Recording the same id twice keeps the first entry, except
   * that an entry replaces the `started` row of the same call.
   */
  id?: string;
  /** When the call started; the ledger's clock when absent. */
  time?: Date;
  /** The server's request id (`req_...`). */
  requestId?: string | null;
  /** The model the call asked for. */
  modelRequested: string;
  /** The model that served the call, when a response started. */
  modelServed?: string | null;
  /** Who and what the call was for. */
  tags?: LedgerTags;
  /** Wall time including retries, ms. */
  durationMs: number;
  /** Streams: time to the first content, ms. */
  timeToFirstTokenMs?: number | null;
  /** Retries made. */
  retries?: number;
  /** The response's stop reason. */
  stopReason?: string | null;
  /** Tokens by bucket; all zero when absent. */
  tokens?: Partial<TokenBuckets>;
  /** Web searches run. */
  webSearchRequests?: number;
  /**
   * The exact cost in picodollars, or null when the model has no known price (then set
   * `unpricedReason`). A failed call that used no tokens costs 0n.
   */
  costPicoUsd: bigint | null;
  /** Why the call is unpriced (`unknown_model`, `no_price`, `fast_mode`). */
  unpricedReason?: string | null;
  /** True when the counts come from an aborted or interrupted stream. */
  partial?: boolean;
  /** True when the call ran through the Message Batches API. */
  batch?: boolean;
  /** The Keel error code when the call failed. */
  errorCode?: string | null;
  /** Cached tokens the context manager expected to read (filled by context management). */
  expectedCachedTokens?: number | null;
  /** Cached tokens actually read, when compared with an expectation. */
  actualCachedTokens?: number | null;
  /** The budget reservation the call held, when budgets applied. */
  reservationId?: string | null;
}

/** What `LedgerStore.recordStarted` writes before a call is sent. */
export interface LedgerStartInput {
  /** The call's id: the finished call's entry replaces this row. */
  id: string;
  /** When the call started. */
  time: Date;
  /** The model the call asks for. */
  modelRequested: string;
  /** Who and what the call is for. */
  tags?: LedgerTags;
  /** The budget reservation the call holds. */
  reservationId?: string | null;
  /** What reconciliation needs if the call never finishes. */
  facts: LedgerCallStartFacts;
}

/** One recorded call. */
export interface LedgerEntry {
  /** Unique id. */
  id: string;
  /** When the call started. */
  time: Date;
  /** The server's request id. */
  requestId: string | null;
  /** The model asked for. */
  modelRequested: string;
  /** The model that served, if any. */
  modelServed: string | null;
  /** Who and what the call was for. */
  tags: LedgerTags;
  /** Wall time including retries, ms. */
  durationMs: number;
  /** Streams: time to first content, ms. */
  timeToFirstTokenMs: number | null;
  /** Retries made. */
  retries: number;
  /** The stop reason. */
  stopReason: string | null;
  /** Tokens by bucket. */
  tokens: TokenBuckets;
  /** Web searches run. */
  webSearchRequests: number;
  /** Cache reads / all input-side tokens (0 without input). */
  cacheHitRatio: number;
  /** False when the model had no known price: then `costPicoUsd` is null, never 0. */
  priced: boolean;
  /** The exact cost in picodollars, or null when unpriced. */
  costPicoUsd: bigint | null;
  /** The exact cost as decimal USD text, or null when unpriced. */
  costUsdText: string | null;
  /** Why the call is unpriced. */
  unpricedReason: string | null;
  /** Counts from an aborted or interrupted stream. */
  partial: boolean;
  /** Ran through the Message Batches API. */
  batch: boolean;
  /** The Keel error code of a failed call. */
  errorCode: string | null;
  /** Cached tokens expected by context management. */
  expectedCachedTokens: number | null;
  /** Cached tokens actually read. */
  actualCachedTokens: number | null;
  /** `complete` for finished calls; `started` while in flight; `interrupted` after a crash. */
  status: LedgerCallStatus;
  /**
   * True when tokens and cost are an estimate, not what the API reported (an interrupted call:
   * its full input estimate plus `max_tokens` of output, at the dearest model it could use).
   */
  estimated: boolean;
  /** The budget reservation the call held, when budgets applied. */
  reservationId: string | null;
  /** What was known when the call started (rows written before sending only). */
  start: LedgerCallStartFacts | null;
}

/** What a `started` row keeps for reconciliation, beyond the common columns. */
export interface LedgerCallStartFacts {
  /** The models the call may use, the requested one first (its fallback chain). */
  models: string[];
  /** The estimated input tokens of the request. */
  estimatedInputTokens: number;
  /** The request's `max_tokens`. */
  maxOutputTokens: number;
  /** The request's `inference_geo`, when set (it changes the price). */
  inferenceGeo: string | null;
  /** The process that sent the call. */
  instance: { id: string; host: string; pid: number };
  /** When the call is over for sure (its deadline), ms since the epoch. */
  deadlineMs: number;
}

/** The cost fields of a ledger entry, from a `computeCost` result. */
export function ledgerCostFields(
  cost: CostResult,
): Pick<
  LedgerEntryInput,
  'tokens' | 'webSearchRequests' | 'costPicoUsd' | 'unpricedReason' | 'partial' | 'batch'
> {
  return cost.priced
    ? {
        tokens: cost.tokens,
        webSearchRequests: cost.breakdown.webSearch.requests,
        costPicoUsd: cost.picoUsd,
        unpricedReason: null,
        partial: cost.partial,
        batch: cost.batch,
      }
    : {
        tokens: cost.tokens,
        webSearchRequests: cost.webSearchRequests,
        costPicoUsd: null,
        unpricedReason: cost.reason,
        partial: cost.partial,
        batch: cost.batch,
      };
}
