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
 * Creates the counter row if needed and locks it for the rest of the transaction, in one round
 * trip: the upsert's update takes the row lock on PostgreSQL (a second transaction waits, then
 * reads the committed values); on SQLite the transaction already holds the file's write lock.
 * Returns what the period has spent so far.
 */
export async function lockCounter(
  tx: SqlExecutor,
  ref: CounterRef,
  nowMs: number,
): Promise<Amounts> {
  const [row] = await tx.query(
    `INSERT INTO keel_budget_counters
       (counter_key, limit_id, scope, scope_key, period, period_start, spent_pico_usd, spent_tokens, updated_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?)
     ON CONFLICT (counter_key) DO UPDATE SET updated_at_ms = excluded.updated_at_ms
     RETURNING spent_pico_usd, spent_tokens`,
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
  return {
    picoUsd: sqlBigInt(row?.spent_pico_usd ?? 0),
    tokens: sqlBigInt(row?.spent_tokens ?? 0),
  };
}

const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');

/**
 * Drops holds whose reservations outlived their TTL (their process died), then sums the live
 * holds of each counter. Call with the counters already locked.
 */
export async function liveHolds(
  tx: SqlExecutor,
  refs: readonly CounterRef[],
  nowMs: number,
): Promise<Map<string, Amounts>> {
  const keys = refs.map((ref) => ref.key);
  await tx.execute(
    `DELETE FROM keel_budget_holds
      WHERE counter_key IN (${placeholders(keys.length)}) AND expires_at_ms <= ?`,
    [...keys, nowMs],
  );
  const rows = await tx.query(
    `SELECT counter_key, SUM(pico_usd) AS pico_usd, SUM(tokens) AS tokens
       FROM keel_budget_holds WHERE counter_key IN (${placeholders(keys.length)})
      GROUP BY counter_key`,
    keys,
  );
  const held = new Map<string, Amounts>(keys.map((key) => [key, { picoUsd: 0n, tokens: 0n }]));
  for (const row of rows) {
    held.set(String(row.counter_key), {
      picoUsd: sqlBigInt(row.pico_usd),
      tokens: sqlBigInt(row.tokens),
    });
  }
  return held;
}

/** Records one reservation's hold on each of its counters, in one statement. */
export async function insertHolds(
  tx: SqlExecutor,
  reservationId: string,
  refs: readonly CounterRef[],
  amounts: Amounts,
  expiresAtMs: number,
): Promise<void> {
  await tx.execute(
    `INSERT INTO keel_budget_holds (reservation_id, counter_key, pico_usd, tokens, expires_at_ms)
     VALUES ${refs.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
    refs.flatMap((ref) => [reservationId, ref.key, amounts.picoUsd, amounts.tokens, expiresAtMs]),
  );
}

/**
 * Adds to a counter's spent amounts, creating the row if it is gone; locks the row like
 * `lockCounter`, so call it in lock order.
 */
export async function addSpent(
  tx: SqlExecutor,
  ref: CounterRef,
  amounts: Amounts,
  nowMs: number,
): Promise<void> {
  await tx.execute(
    `INSERT INTO keel_budget_counters
       (counter_key, limit_id, scope, scope_key, period, period_start, spent_pico_usd, spent_tokens, updated_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (counter_key) DO UPDATE SET
       spent_pico_usd = keel_budget_counters.spent_pico_usd + excluded.spent_pico_usd,
       spent_tokens = keel_budget_counters.spent_tokens + excluded.spent_tokens,
       updated_at_ms = excluded.updated_at_ms`,
    [
      ref.key,
      ref.limit.id,
      ref.limit.scope,
      ref.scopeKey,
      ref.limit.period,
      ref.periodStart,
      amounts.picoUsd,
      amounts.tokens,
      nowMs,
    ],
  );
}
