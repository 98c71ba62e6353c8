import type { TokenBuckets } from '../cost/token-buckets.ts';

/** The dimensions the ledger groups by. `model` is the served model (else the requested one); `day` is the UTC date. */
export type LedgerGroupBy = 'feature' | 'user' | 'session' | 'model' | 'day' | 'promptId';

/** Narrows a query to matching entries. Every field is optional; given fields must all match. */
export interface LedgerFilter {
  /** Entries at or after this time. */
  from?: Date;
  /** Entries before this time. */
  to?: Date;
  /** Only this feature. */
  feature?: string;
  /** Only this user. */
  user?: string;
  /** Only this session. */
  session?: string;
  /** Only this (served, else requested) model. */
  model?: string;
}

/** Totals for one group of entries. */
export interface LedgerGroup {
  /** The group's value (feature name, user id, model id, `YYYY-MM-DD`); null for untagged entries. */
  key: string | null;
  /** Calls recorded. */
  requests: number;
  /** Calls that failed (have an error code). */
  failedRequests: number;
  /** Calls without a known price: their cost is missing from `costPicoUsd`, not zero. */
  unpricedRequests: number;
  /** Calls whose counts come from aborted or interrupted streams. */
  partialRequests: number;
  /** Calls whose tokens and cost are estimates (interrupted by a crash), included in the sums. */
  estimatedRequests: number;
  /** The estimated part of `costPicoUsd`. */
  estimatedCostPicoUsd: bigint;
  /** Token sums by bucket. */
  tokens: TokenBuckets;
  /** Exact cost of the priced calls, in picodollars. */
  costPicoUsd: bigint;
  /** The same as exact decimal USD text. */
  costUsdText: string;
  /** Cache reads / all input-side tokens over the group. */
  cacheHitRatio: number;
}

export interface SummarizeOptions extends LedgerFilter {
  /** The dimension to group by. */
  groupBy: LedgerGroupBy;
}

export interface TopSpendersOptions extends Omit<LedgerFilter, 'model' | 'feature' | 'user'> {
  /** Rank users, features or models. */
  by: 'user' | 'feature' | 'model';
  /** How many to return. Default 10. */
  limit?: number;
}

export interface ListEntriesOptions extends LedgerFilter {
  /** At most this many entries, newest first. Default 100. */
  limit?: number;
}
