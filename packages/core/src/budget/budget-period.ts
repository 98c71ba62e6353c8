import type { BudgetPeriod } from './budget-limit.ts';

/** The UTC period a moment falls in: `2026-03-01` (day), `2026-03` (month) or `total`. */
export function periodStart(period: BudgetPeriod, time: Date): string {
  const iso = time.toISOString();
  if (period === 'day') return iso.slice(0, 10);
  if (period === 'month') return iso.slice(0, 7);
  return 'total';
}
