import { KeelError } from '@keel/errors';
import type { BudgetPeriod, BudgetScope } from './budget-limit.ts';

/** The facts of a refusal. Amounts are decimal text: USD for `usd`, a count for `tokens`. */
export interface BudgetExceededDetails {
  /** The limit that refused. */
  limitId: string;
  /** Who the limit counts for. */
  scope: BudgetScope;
  /** The user, session or feature (empty for global). */
  scopeKey: string;
  /** The counting window. */
  period: BudgetPeriod;
  /** Which window: `2026-03-01`, `2026-03` or `total`. */
  periodStart: string;
  /** Whether the money or the token cap refused. */
  unit: 'usd' | 'tokens';
  /** The cap. */
  limit: string;
  /** Already spent in the period. */
  spent: string;
  /** Held by calls in flight. */
  reserved: string;
  /** The worst case this call asked to hold. */
  requested: string;
}

/** A call was refused before it was sent: it could have taken a budget over its limit. */
export class BudgetExceededError extends KeelError<BudgetExceededDetails, 'budget_exceeded'> {
  constructor(details: BudgetExceededDetails) {
    const who = details.scope === 'global' ? 'global' : `${details.scope} "${details.scopeKey}"`;
    const amount = (value: string) => (details.unit === 'usd' ? `$${value}` : `${value} tokens`);
    super(
      'budget_exceeded',
      `Budget exceeded: ${who} ${details.period} limit ${amount(details.limit)} ` +
        `(${details.periodStart}: spent ${amount(details.spent)}, reserved ${amount(details.reserved)}, ` +
        `this call needs up to ${amount(details.requested)})`,
      details,
    );
  }
}

/** A money limit applies but the model has no known price, so the worst case cannot be held. */
export class BudgetUnpricedModelError extends KeelError<
  { model: string; limitIds: string[] },
  'budget_unpriced_model'
> {
  constructor(model: string, limitIds: string[]) {
    super(
      'budget_unpriced_model',
      `Cannot enforce money limits ${limitIds.join(', ')} for ${model}: the model has no known price`,
      { model, limitIds },
    );
  }
}

/** `settle` or `release` was called on a reservation that is already closed. */
export class BudgetReservationClosedError extends KeelError<
  { reservationId: string },
  'budget_reservation_closed'
> {
  constructor(reservationId: string) {
    super(
      'budget_reservation_closed',
      `Budget reservation ${reservationId} was already settled or released`,
      { reservationId },
    );
  }
}
