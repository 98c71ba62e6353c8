import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import { estimateMaxCost } from '../cost/estimate-max-cost.ts';
import { formatPicoUsd } from '../cost/pico-usd.ts';
import { totalTokens } from '../cost/token-buckets.ts';
import type { Storage } from '../storage/storage.ts';
import {
  BudgetExceededError,
  BudgetReservationClosedError,
  BudgetUnpricedModelError,
} from './budget-exceeded-error.ts';
import {
  addSpent,
  counterRef,
  insertHolds,
  liveHolds,
  lockCounter,
  lockOrder,
  type Amounts,
  type CounterRef,
} from './budget-counters.ts';
import { parseBudgetLimits, type BudgetLimit, type BudgetLimitConfig } from './budget-limit.ts';
import { budgetMigrations } from './budget-migrations.ts';
import { periodStart } from './budget-period.ts';
import type { BudgetReservation, SettleOptions, SettleResult } from './budget-reservation.ts';
import { timeOrderedId } from '../storage/time-ordered-id.ts';
import { settleOrphanedHold, type OrphanedHoldSettlement } from './settle-orphaned-hold.ts';

/** The tags budgets are scoped by (a subset of the call's tags). */
export interface BudgetTags {
  /** The end user. */
  user?: string;
  /** The conversation or session. */
  session?: string;
  /** The product feature. */
  feature?: string;
}

export interface BudgetManagerOptions {
  /** Where counters and holds live; share one database between processes to share budgets. */
  storage: Storage;
  /** The limits, as configuration data (validated here) or already parsed. */
  limits: readonly (BudgetLimitConfig | BudgetLimit)[];
  /** Prices for worst-case estimates; the shipped catalog by default. */
  catalog?: ModelCatalog;
  /** The clock: decides the period and hold expiry. */
  now?: () => Date;
  /** Generates reservation ids. */
  generateId?: () => string;
  /** How long an unsettled hold lasts before it is reclaimed, ms. Default 15 minutes. */
  reservationTtlMs?: number;
}

export interface ReserveOptions {
  /** The call's tags: decide which user/session/feature limits apply. */
  tags?: BudgetTags;
  /** The model the call asks for. */
  model: string;
  /** Estimated input tokens of the whole prompt. */
  estimatedInputTokens: number;
  /** The call's `max_tokens` (thinking included). */
  maxOutputTokens: number;
  /** The Message Batches API is used. */
  batch?: boolean;
  /** The call's `inference_geo`. */
  inferenceGeo?: string | null;
  /** The longest cache TTL the call writes with, or null for none. Default `'1h'` (worst case). */
  cacheWriteTtl?: '5m' | '1h' | null;
  /** The most web searches the call may run. */
  maxWebSearches?: number;
  /** Overrides the hold's lifetime for a call known to run long, ms. */
  ttlMs?: number;
}

/** One limit's standing for some tags. */
export interface BudgetStanding {
  /** The limit. */
  limit: BudgetLimit;
  /** The user/session/feature ('' for global). */
  scopeKey: string;
  /** The current period. */
  periodStart: string;
  /** Spent in the period. */
  spent: Amounts;
  /** Held by calls in flight. */
  reserved: Amounts;
}

function isParsed(limit: BudgetLimitConfig | BudgetLimit): limit is BudgetLimit {
  return 'maxPicoUsd' in limit;
}

/**
 * Enforces money and token limits per scope and period. `reserve` holds a call's worst case
 * before it is sent, inside one transaction that locks the affected counters, so concurrent calls
 * (in one process or many sharing the database) can never together pass a limit; `settle`
 * replaces the hold by the actual use, `release` drops it. The guarantee holds as long as the
 * estimates really are upper bounds (input tokens estimated high, `max_tokens` respected).
 */
export class BudgetManager {
  /** The validated limits. */
  readonly limits: readonly BudgetLimit[];
  readonly #storage: Storage;
  readonly #catalog: ModelCatalog;
  readonly #now: () => Date;
  readonly #generateId: () => string;
  readonly #ttlMs: number;
  #ready: Promise<unknown> | undefined;

  constructor(options: BudgetManagerOptions) {
    const parsed = options.limits.filter(isParsed);
    const configs = options.limits.filter((limit) => !isParsed(limit));
    this.limits = [...parsed, ...parseBudgetLimits(configs)];
    this.#storage = options.storage;
    this.#catalog = options.catalog ?? defaultModelCatalog();
    this.#now = options.now ?? (() => new Date());
    this.#generateId = options.generateId ?? (() => timeOrderedId());
    this.#ttlMs = options.reservationTtlMs ?? 15 * 60 * 1000;
  }

  /** Creates or upgrades the budget tables; called by every method. */
  ready(): Promise<unknown> {
    this.#ready ??= this.#storage.migrate(budgetMigrations).catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /** The counters a call with these tags counts against, at a moment. */
  #counters(tags: BudgetTags, time: Date): CounterRef[] {
    const refs: CounterRef[] = [];
    for (const limit of this.limits) {
      const scopeKey = limit.scope === 'global' ? '' : tags[limit.scope];
      if (scopeKey === undefined) continue;
      if (limit.key !== null && limit.key !== scopeKey) continue;
      refs.push(counterRef(limit, scopeKey, periodStart(limit.period, time)));
    }
    return lockOrder(refs);
  }

  /**
   * Holds the call's worst case against every applicable limit, or throws
   * `BudgetExceededError` naming the first limit it would pass.
   */
  async reserve(options: ReserveOptions): Promise<BudgetReservation> {
    await this.ready();
    const now = this.#now();
    const counters = this.#counters(options.tags ?? {}, now);
    const estimate = estimateMaxCost({
      model: options.model,
      inputTokens: options.estimatedInputTokens,
      maxOutputTokens: options.maxOutputTokens,
      catalog: this.#catalog,
      batch: options.batch,
      inferenceGeo: options.inferenceGeo,
      cacheWriteTtl: options.cacheWriteTtl,
      maxWebSearches: options.maxWebSearches,
    });
    const moneyLimits = counters.filter((ref) => ref.limit.maxPicoUsd !== null);
    if (!estimate.priced && moneyLimits.length > 0) {
      throw new BudgetUnpricedModelError(
        options.model,
        moneyLimits.map((ref) => ref.limit.id),
      );
    }
    const request: Amounts = {
      picoUsd: estimate.priced ? estimate.picoUsd : 0n,
      tokens: BigInt(estimate.tokens),
    };
    const id = this.#generateId();
    const expiresAt = new Date(now.getTime() + (options.ttlMs ?? this.#ttlMs));
    if (counters.length > 0) {
      await this.#storage.transaction(async (tx) => {
        const spent: Amounts[] = [];
        for (const ref of counters) spent.push(await lockCounter(tx, ref, now.getTime()));
        const held = await liveHolds(tx, counters, now.getTime());
        counters.forEach((ref, index) =>
          checkLimit(ref, spent[index]!, held.get(ref.key)!, request),
        );
        await insertHolds(tx, id, counters, request, expiresAt.getTime());
      });
    }
    return this.#reservation(id, counters, request, expiresAt);
  }

  #reservation(
    id: string,
    counters: CounterRef[],
    request: Amounts,
    expiresAt: Date,
  ): BudgetReservation {
    let closed = false;
    const close = () => {
      if (closed) throw new BudgetReservationClosedError(id);
      closed = true;
    };
    const dropHolds = 'DELETE FROM keel_budget_holds WHERE reservation_id = ?';
    return {
      id,
      picoUsd: request.picoUsd,
      tokens: Number(request.tokens),
      limitIds: counters.map((ref) => ref.limit.id),
      expiresAt,
      settle: async (options: SettleOptions): Promise<SettleResult> => {
        close();
        const actual = actualUse(options, request);
        if (counters.length === 0) return actual;
        const nowMs = this.#now().getTime();
        await this.#storage.transaction(async (tx) => {
          for (const ref of counters) {
            await addSpent(
              tx,
              ref,
              { picoUsd: actual.picoUsd, tokens: BigInt(actual.tokens) },
              nowMs,
            );
          }
          await tx.execute(dropHolds, [id]);
        });
        return actual;
      },
      release: async () => {
        close();
        if (counters.length === 0) return;
        const nowMs = this.#now().getTime();
        // Lock the counters first, in the same order as reserve and settle: deleting hold rows
        // without them could deadlock with a reserve that is reclaiming this (expired) hold.
        await this.#storage.transaction(async (tx) => {
          for (const ref of counters) await lockCounter(tx, ref, nowMs);
          await tx.execute(dropHolds, [id]);
        });
      },
    };
  }

  /**
   * Replaces the hold of a call whose process died (its reservation object is gone with it) by
   * an estimated spend, capped at what was held; used by `reconcileInterruptedCalls`. Charges
   * nothing when the hold is no longer there.
   */
  async settleOrphanedHold(options: {
    reservationId: string;
    picoUsd: bigint;
    tokens: number;
  }): Promise<OrphanedHoldSettlement> {
    await this.ready();
    return settleOrphanedHold(this.#storage, { ...options, nowMs: this.#now().getTime() });
  }

  /** Where every limit applying to these tags stands now. */
  async standing(tags: BudgetTags = {}): Promise<BudgetStanding[]> {
    await this.ready();
    const now = this.#now();
    const counters = this.#counters(tags, now);
    return this.#storage.transaction(async (tx) => {
      if (counters.length === 0) return [];
      const spent: Amounts[] = [];
      for (const ref of counters) spent.push(await lockCounter(tx, ref, now.getTime()));
      const held = await liveHolds(tx, counters, now.getTime());
      return counters.map((ref, index): BudgetStanding => ({
        limit: ref.limit,
        scopeKey: ref.scopeKey,
        periodStart: ref.periodStart,
        spent: spent[index]!,
        reserved: held.get(ref.key)!,
      }));
    });
  }
}

function checkLimit(ref: CounterRef, spent: Amounts, reserved: Amounts, request: Amounts): void {
  const { limit } = ref;
  const refuse = (unit: 'usd' | 'tokens', cap: bigint, format: (value: bigint) => string) => {
    throw new BudgetExceededError({
      limitId: limit.id,
      scope: limit.scope,
      scopeKey: ref.scopeKey,
      period: limit.period,
      periodStart: ref.periodStart,
      unit,
      limit: format(cap),
      spent: format(unit === 'usd' ? spent.picoUsd : spent.tokens),
      reserved: format(unit === 'usd' ? reserved.picoUsd : reserved.tokens),
      requested: format(unit === 'usd' ? request.picoUsd : request.tokens),
    });
  };
  if (
    limit.maxPicoUsd !== null &&
    spent.picoUsd + reserved.picoUsd + request.picoUsd > limit.maxPicoUsd
  ) {
    refuse('usd', limit.maxPicoUsd, formatPicoUsd);
  }
  if (limit.maxTokens !== null) {
    const cap = BigInt(limit.maxTokens);
    if (spent.tokens + reserved.tokens + request.tokens > cap) refuse('tokens', cap, String);
  }
}

function actualUse(options: SettleOptions, request: Amounts): SettleResult {
  const { cost } = options;
  const picoUsd =
    options.picoUsd ??
    (cost === undefined ? request.picoUsd : cost.priced ? cost.picoUsd : request.picoUsd);
  const tokens = options.tokens ?? (cost ? totalTokens(cost.tokens) : Number(request.tokens));
  return { picoUsd, tokens };
}
