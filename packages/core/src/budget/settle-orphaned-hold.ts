import { sqlBigInt } from '../storage/sql-values.ts';
import type { Storage } from '../storage/storage.ts';

/** Options of {@link settleOrphanedHold}. */
export interface SettleOrphanedHoldOptions {
  /** The reservation whose process died before settling it. */
  reservationId: string;
  /** The estimated spend to charge in place of the hold, picodollars. */
  picoUsd: bigint;
  /** The estimated tokens to charge. */
  tokens: number;
  /** Now, ms since the epoch (stamps the counters). */
  nowMs: number;
}

/** What {@link settleOrphanedHold} charged. */
export interface OrphanedHoldSettlement {
  /** False when the reservation had no hold left (settled, released or already reclaimed). */
  found: boolean;
  /** Picodollars added to each of its counters (the estimate, at most what was held). */
  picoUsd: bigint;
  /** Tokens added to each of its counters. */
  tokens: number;
}

/**
 * Turns the hold of a call whose process died into spent budget, in one transaction: the hold
 * rows are deleted and each counter they held is charged the estimate, capped at that counter's
 * hold (the hold was the call's worst case, so the call cannot have spent more). Expired holds
 * that no reserve has reclaimed yet count too. Only the transaction that deletes the hold rows
 * charges, so two processes reconciling the same call charge it once.
 */
export async function settleOrphanedHold(
  storage: Storage,
  options: SettleOrphanedHoldOptions,
): Promise<OrphanedHoldSettlement> {
  const { reservationId, nowMs } = options;
  return storage.transaction(async (tx) => {
    const rows = await tx.query(
      'SELECT counter_key FROM keel_budget_holds WHERE reservation_id = ?',
      [reservationId],
    );
    // The same lock order as reserve/settle (JavaScript string order, not the database's
    // collation), so this cannot deadlock with them.
    const keys = rows
      .map((row) => String(row.counter_key))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const key of keys) {
      await tx.execute('UPDATE keel_budget_counters SET updated_at_ms = ? WHERE counter_key = ?', [
        nowMs,
        key,
      ]);
    }
    const deleted = await tx.query(
      `DELETE FROM keel_budget_holds WHERE reservation_id = ?
       RETURNING counter_key, pico_usd, tokens`,
      [reservationId],
    );
    let picoUsd = 0n;
    let tokens = 0n;
    for (const row of deleted) {
      const heldPicoUsd = sqlBigInt(row.pico_usd);
      const heldTokens = sqlBigInt(row.tokens);
      const chargePicoUsd = options.picoUsd < heldPicoUsd ? options.picoUsd : heldPicoUsd;
      const wanted = BigInt(options.tokens);
      const chargeTokens = wanted < heldTokens ? wanted : heldTokens;
      await tx.execute(
        `UPDATE keel_budget_counters SET spent_pico_usd = spent_pico_usd + ?,
           spent_tokens = spent_tokens + ?, updated_at_ms = ? WHERE counter_key = ?`,
        [chargePicoUsd, chargeTokens, nowMs, String(row.counter_key)],
      );
      if (chargePicoUsd > picoUsd) picoUsd = chargePicoUsd;
      if (chargeTokens > tokens) tokens = chargeTokens;
    }
    return { found: deleted.length > 0, picoUsd, tokens: Number(tokens) };
  });
}
