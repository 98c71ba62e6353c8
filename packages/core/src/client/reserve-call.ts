import type { ModelCatalog } from '@keel/models';
import type { BudgetManager } from '../budget/budget-manager.ts';
import type { BudgetReservation } from '../budget/budget-reservation.ts';
import { worstCaseReservation } from '../budget/worst-case-reservation.ts';
import type { CostResult } from '../cost/cost-result.ts';
import type { CallHold } from './call-options.ts';
import type { PreparedCall } from './prepare-call.ts';

/**
 * Stage "reserve": holds the call's worst case against the budgets (the request as it will be
 * sent, priced at the dearest model of its chain; see worstCaseReservation), then tells the
 * caller the call is admitted (`onReserved`; `undefined` without budgets). A refused reservation
 * throws the budget's error before anything is sent.
 */
export async function reserveCall(options: {
  prepared: PreparedCall;
  budgets: BudgetManager | undefined;
  catalog: ModelCatalog;
  /** Reports a throwing `onReserved` (it never fails the call). */
  onProblem: (status: string, error: unknown) => void;
}): Promise<BudgetReservation | undefined> {
  const { prepared, budgets } = options;
  let reservation: BudgetReservation | undefined;
  let hold: CallHold | undefined;
  if (budgets) {
    const reserve = worstCaseReservation({
      request: prepared.request,
      models: prepared.chain,
      catalog: options.catalog,
      tags: prepared.tags,
    });
    reservation = await budgets.reserve(reserve);
    hold = {
      picoUsd: reservation.picoUsd,
      tokens: reservation.tokens,
      model: reserve.model,
      inputTokens: reserve.estimatedInputTokens,
      limitIds: reservation.limitIds,
    };
  }
  try {
    prepared.onReserved?.(hold);
  } catch (error) {
    options.onProblem('on_reserved_failed', error);
  }
  return reservation;
}

/**
 * Settles a reservation to what was spent (the result's cost, or the partial cost a failure
 * carries) or releases it when nothing was spent. Never throws: a failure is reported.
 */
export async function closeReservation(
  reservation: BudgetReservation | undefined,
  spent: { cost?: CostResult } | Error | undefined,
  onProblem: (status: string, error: unknown) => void,
): Promise<void> {
  if (!reservation) return;
  const cost = (spent as { cost?: CostResult } | undefined)?.cost;
  try {
    if (cost) await reservation.settle({ cost });
    else await reservation.release();
  } catch (problem) {
    onProblem('budget_settle_failed', problem);
  }
}
