import { sqlBigInt } from '../storage/sql-values.ts';
import type { SqlExecutor } from '../storage/storage.ts';
import type { BudgetLimit } from './budget-limit.ts';

/** One limit's counter for one scope key and period. */
export interface CounterRef {
  /** The counter row's primary key. */
  key: string;
  /** The limit it counts for. */
  limit: BudgetLimit;
  /** The user, session or feature ('' for global). */
  scopeKey: string;
  /** The period it covers (`2026-03-01`, `2026-03`, `total`). */
  periodStart: string;
}

/** Money and tokens. */
export interface Amounts {
  /** Picodollars. */
  picoUsd: bigint;
  /** Tokens. */
  tokens: bigint;
}

export function counterRef(limit: BudgetLimit, scopeKey: string, periodStart: string): CounterRef {
  return { key: JSON.stringify([limit.id, scopeKey, periodStart]), limit, scopeKey, periodStart };
}

/** Counters in one fixed order, so concurrent transactions lock rows without deadlocking. */
export function lockOrder(counters: readonly CounterRef[]): CounterRef[] {
  return [...counters].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Creates the counter row if needed and locks it for the rest of the transaction (PostgreSQL
 * `FOR UPDATE`; on SQLite the transaction already holds the file's write lock). Returns what the
 * period has spent so far.
 */
export async function lockCounter(
  tx: SqlExecutor,
  ref: CounterRef,
  nowMs: number,
): Promise<Amounts> {
  await tx.execute(
    `INSERT INTO keel_budget_counters
       (counter_key, limit_id, scope, scope_key, period, period_start, spent_pico_usd, spent_tokens, updated_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?) ON CONFLICT (counter_key) DO NOTHING`,
    [
      ref.key,
      ref.limit.id,
      ref.limit.scope,
      ref.scopeKey,
      ref.limit.period,
      ref.periodStart,
      nowMs,
    ],
  );
  const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const [row] = await tx.query(
    `SELECT spent_pico_usd, spent_tokens FROM keel_budget_counters WHERE counter_key = ?${lock}`,
    [ref.key],
  );
  return {
    picoUsd: sqlBigInt(row?.spent_pico_usd ?? 0),
    tokens: sqlBigInt(row?.spent_tokens ?? 0),
  };
}

/** Drops holds whose reservations outlived their TTL (their process died), then sums the live ones. */
export async function liveHolds(tx: SqlExecutor, ref: CounterRef, nowMs: number): Promise<Amounts> {
  await tx.execute('DELETE FROM keel_budget_holds WHERE counter_key = ? AND expires_at_ms <= ?', [
    ref.key,
    nowMs,
  ]);
  const [row] = await tx.query(
    `SELECT COALESCE(SUM(pico_usd), 0) AS pico_usd, COALESCE(SUM(tokens), 0) AS tokens
       FROM keel_budget_holds WHERE counter_key = ?`,
    [ref.key],
  );
  return { picoUsd: sqlBigInt(row?.pico_usd ?? 0), tokens: sqlBigInt(row?.tokens ?? 0) };
}

/** Adds to a counter's spent amounts. */
export async function addSpent(
  tx: SqlExecutor,
  ref: CounterRef,
  amounts: Amounts,
  nowMs: number,
): Promise<void> {
  await tx.execute(
    `UPDATE keel_budget_counters
        SET spent_pico_usd = spent_pico_usd + ?, spent_tokens = spent_tokens + ?, updated_at_ms = ?
      WHERE counter_key = ?`,
    [amounts.picoUsd, amounts.tokens, nowMs, ref.key],
  );
}
