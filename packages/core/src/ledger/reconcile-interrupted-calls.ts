import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import type { BudgetManager } from '../budget/budget-manager.ts';
import { computeCost } from '../cost/compute-cost.ts';
import type { CostResult } from '../cost/cost-result.ts';
import { currentCallInstance, instanceIsGone, type CallInstance } from './call-instance.ts';
import type { LedgerEntry } from './ledger-entry.ts';
import type { LedgerStore } from './ledger-store.ts';

/** A `started` row without its start facts (not written by this version) counts as dead after this. */
const unknownDeadlineMs = 24 * 60 * 60 * 1000;

/** Options of {@link reconcileInterruptedCalls}. */
export interface ReconcileInterruptedCallsOptions {
  /** The ledger holding the `started` rows. */
  ledger: LedgerStore;
  /** The budgets whose holds the calls took; their holds become estimated spend. */
  budgets?: BudgetManager;
  /** Prices for the estimates; the shipped catalog by default. */
  catalog?: ModelCatalog;
  /** The clock. */
  now?: () => Date;
  /** This process. Default `currentCallInstance()`. */
  instance?: CallInstance;
}

/** What {@link reconcileInterruptedCalls} did. */
export interface ReconcileReport {
  /** The calls marked `interrupted` by this run. */
  interrupted: string[];
  /** `started` calls left alone because they may still be running in another process. */
  maybeLive: number;
  /** The estimated cost written to the ledger for the interrupted calls, picodollars. */
  estimatedPicoUsd: bigint;
  /** What their holds turned into on the budget counters (each counter), picodollars. */
  chargedPicoUsd: bigint;
}

/**
 * True when a `started` call can no longer be running anywhere: its deadline has passed (the
 * client stops every call by then), or the process that sent it is certainly gone (same host,
 * and its pid is free or is ours under a new instance id; see `instanceIsGone`). A call of a live
 * process, or of a process on another host before the deadline, may still be running: several
 * processes share one PostgreSQL, and only the deadline speaks for all of them.
 */
export function callCannotBeRunning(
  call: LedgerEntry,
  now: Date,
  self: CallInstance = currentCallInstance(),
): boolean {
  const deadlineMs = call.start?.deadlineMs ?? call.time.getTime() + unknownDeadlineMs;
  if (now.getTime() >= deadlineMs) return true;
  return call.start !== null && instanceIsGone(call.start.instance, self);
}

/**
 * The conservative spend of a call cut off mid-flight: its whole estimated input as uncached
 * input plus all of `max_tokens` as output, at the dearest of the models it could have used.
 * Unpriced (`costPicoUsd` null) when one of them has no price: it might have been served there.
 */
export function estimateInterruptedSpend(
  call: LedgerEntry,
  catalog: ModelCatalog,
): { cost: CostResult; inputTokens: number; outputTokens: number } {
  const facts = call.start;
  const inputTokens = facts?.estimatedInputTokens ?? 0;
  const outputTokens = facts?.maxOutputTokens ?? 0;
  const usage = {
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
  let dearest: CostResult | undefined;
  for (const model of facts?.models ?? [call.modelRequested]) {
    const cost = computeCost({
      model,
      usage,
      catalog,
      partial: true,
      inferenceGeo: facts?.inferenceGeo ?? null,
    });
    if (!cost.priced) return { cost, inputTokens, outputTokens };
    if (!dearest || (dearest.priced && cost.picoUsd > dearest.picoUsd)) dearest = cost;
  }
  return {
    cost: dearest ?? computeCost({ model: call.modelRequested, usage, catalog, partial: true }),
    inputTokens,
    outputTokens,
  };
}

/**
 * Closes the ledger rows of calls cut off by a crash (`started` rows whose call cannot still be
 * running, see `callCannotBeRunning`): each is marked `interrupted` with an estimated, flagged
 * spend (`estimateInterruptedSpend`), and its budget hold is replaced by that estimate on the
 * counters (capped at the hold, so never more than the call could have spent). Run at start-up
 * and now and then; safe to run from several processes at once (each call is charged once).
 *
 * The hold is settled before the row is marked: a crash between the two leaves a `started` row
 * without a hold, which the next run marks without charging again. A row whose hold is already
 * gone (its call settled but the final ledger write was lost, or the hold expired and was
 * reclaimed) is marked with its estimate and charges nothing.
 */
export async function reconcileInterruptedCalls(
  options: ReconcileInterruptedCallsOptions,
): Promise<ReconcileReport> {
  const catalog = options.catalog ?? defaultModelCatalog();
  const now = options.now?.() ?? new Date();
  const self = options.instance ?? currentCallInstance();
  const report: ReconcileReport = {
    interrupted: [],
    maybeLive: 0,
    estimatedPicoUsd: 0n,
    chargedPicoUsd: 0n,
  };
  for (const call of await options.ledger.startedCalls()) {
    if (!callCannotBeRunning(call, now, self)) {
      report.maybeLive++;
      continue;
    }
    const { cost, inputTokens, outputTokens } = estimateInterruptedSpend(call, catalog);
    if (call.reservationId && options.budgets) {
      const settled = await options.budgets.settleOrphanedHold({
        reservationId: call.reservationId,
        // An unpriced estimate charges the whole hold: the cap keeps it at the worst case.
        picoUsd: cost.priced ? cost.picoUsd : BigInt(Number.MAX_SAFE_INTEGER) ** 2n,
        tokens: inputTokens + outputTokens,
      });
      report.chargedPicoUsd += settled.picoUsd;
    }
    const marked = await options.ledger.markInterrupted(call.id, {
      tokens: { input: inputTokens, output: outputTokens },
      costPicoUsd: cost.priced ? cost.picoUsd : null,
      unpricedReason: cost.priced ? null : cost.reason,
      durationMs: now.getTime() - call.time.getTime(),
    });
    if (marked) {
      report.interrupted.push(call.id);
      if (cost.priced) report.estimatedPicoUsd += cost.picoUsd;
    }
  }
  return report;
}
