export {
  BudgetExceededError,
  BudgetReservationClosedError,
  BudgetUnpricedModelError,
  type BudgetExceededDetails,
} from './budget-exceeded-error.ts';
export {
  budgetLimitConfigSchema,
  parseBudgetLimits,
  type BudgetLimit,
  type BudgetLimitConfig,
  type BudgetPeriod,
  type BudgetScope,
} from './budget-limit.ts';
export {
  BudgetManager,
  type BudgetManagerOptions,
  type BudgetStanding,
  type BudgetTags,
  type ReserveOptions,
} from './budget-manager.ts';
export { budgetMigrations } from './budget-migrations.ts';
export { periodStart } from './budget-period.ts';
export type { BudgetReservation, SettleOptions, SettleResult } from './budget-reservation.ts';
export type { Amounts as BudgetAmounts } from './budget-counters.ts';
export type { OrphanedHoldSettlement } from './settle-orphaned-hold.ts';
export {
  worstCaseReservation,
  type WorstCaseRequest,
  type WorstCaseReservationOptions,
} from './worst-case-reservation.ts';
