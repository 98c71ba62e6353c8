import type { CostResult } from '../cost/cost-result.ts';

/** What a call turned out to use, for `settle`. */
export interface SettleOptions {
  /**
   * The call's `computeCost` result. An unpriced result (say a fallback model without a price)
   * is charged the reserved worst case, so money limits stay safe.
   */
  cost?: CostResult;
  /** Exact picodollars, instead of `cost`. */
  picoUsd?: bigint;
  /** Tokens used (input side + output); taken from `cost` when absent. */
  tokens?: number;
}

/** What a settle charged. */
export interface SettleResult {
  /** Picodollars added to every counter of the reservation. */
  picoUsd: bigint;
  /** Tokens added. */
  tokens: number;
}

/** Budget held for one call in flight. Settle it with the actual cost, or release it. */
export interface BudgetReservation {
  /** Unique id (the hold rows carry it). */
  readonly id: string;
  /** The worst case held, in picodollars (0n when no money limit applies). */
  readonly picoUsd: bigint;
  /** The worst case held, in tokens. */
  readonly tokens: number;
  /** The limits the call counts against. */
  readonly limitIds: readonly string[];
  /** When the hold lapses if neither settled nor released. */
  readonly expiresAt: Date;
  /** Replaces the hold by what the call actually used. */
  settle(options: SettleOptions): Promise<SettleResult>;
  /** Drops the hold: the call failed without being billed. */
  release(): Promise<void>;
}
