import { ValidationError } from '@keel/errors';
import { formatPicoUsd } from '../cost/pico-usd.ts';
import { cacheHitRatio, type TokenBuckets } from '../cost/token-buckets.ts';
import {
  sqlBigInt,
  sqlBigIntOrNull,
  sqlBoolean,
  sqlNumber,
  sqlNumberOrNull,
  sqlStringOrNull,
} from '../storage/sql-values.ts';
import type { SqlRow, SqlValue, Storage } from '../storage/storage.ts';
import type {
  LedgerCallStartFacts,
  LedgerCallStatus,
  LedgerEntry,
  LedgerEntryInput,
  LedgerStartInput,
  LedgerTags,
} from './ledger-entry.ts';
import { ledgerMigrations } from './ledger-migrations.ts';
import type {
  LedgerFilter,
  LedgerGroup,
  LedgerGroupBy,
  ListEntriesOptions,
  SummarizeOptions,
  TopSpendersOptions,
} from './ledger-report.ts';
import { timeOrderedId } from '../storage/time-ordered-id.ts';

/** What `LedgerStore.markInterrupted` writes in place of a call's real usage. */
export interface InterruptedCallEstimate {
  /** The estimated tokens by bucket. */
  tokens: Partial<TokenBuckets>;
  /** The estimated cost, or null when the model has no price (then `unpricedReason`). */
  costPicoUsd: bigint | null;
  /** Why the estimate is unpriced. */
  unpricedReason?: string | null;
  /** From the start to the interruption as far as known (the restart), ms. */
  durationMs: number;
}

export interface LedgerStoreOptions {
  /** Where entries are kept (SQLite or PostgreSQL). */
  storage: Storage;
  /** Stamps entries recorded without a time. */
  now?: () => Date;
  /** Generates entry ids. */
  generateId?: () => string;
}

const groupColumns: Record<LedgerGroupBy, string> = {
  feature: 'tag_feature',
  user: 'tag_user',
  session: 'tag_session',
  model: 'model',
  day: 'day',
  promptId: 'tag_prompt_id',
};

const namedTags = ['feature', 'user', 'session', 'promptId', 'promptVersion'] as const;

const columns = [
  'id',
  'time_ms',
  'day',
  'request_id',
  'model_requested',
  'model_served',
  'model',
  'tag_feature',
  'tag_user',
  'tag_session',
  'tag_prompt_id',
  'tag_prompt_version',
  'tags_json',
  'duration_ms',
  'time_to_first_token_ms',
  'retries',
  'stop_reason',
  'input_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'cache_read_tokens',
  'output_tokens',
  'web_search_requests',
  'priced',
  'cost_pico_usd',
  'unpriced_reason',
  'partial',
  'batch',
  'error_code',
  'expected_cached_tokens',
  'actual_cached_tokens',
  'status',
  'estimated',
  'reservation_id',
  'deadline_ms',
  'start_json',
];

const insertInto = `INSERT INTO keel_ledger_entries (${columns.join(', ')}) VALUES (${columns
  .map(() => '?')
  .join(', ')})`;
// A finished call replaces its own `started` row (same id) and keeps what only the start knew;
// any other repeat of an id keeps the first entry.
const keptOnFinish = new Set(['id', 'reservation_id', 'deadline_ms', 'start_json']);
const insertSql = `${insertInto} ON CONFLICT (id) DO UPDATE SET ${columns
  .filter((column) => !keptOnFinish.has(column))
  .map((column) => `${column} = excluded.${column}`)
  .join(', ')},
  reservation_id = COALESCE(excluded.reservation_id, keel_ledger_entries.reservation_id)
  WHERE keel_ledger_entries.status = 'started'`;
const insertStartedSql = `${insertInto} ON CONFLICT (id) DO NOTHING`;
const statusColumn = columns.indexOf('status');

const sumColumns = `COUNT(*) AS requests,
  SUM(CASE WHEN error_code IS NULL THEN 0 ELSE 1 END) AS failed_requests,
  SUM(CASE WHEN priced = 0 THEN 1 ELSE 0 END) AS unpriced_requests,
  SUM(partial) AS partial_requests,
  SUM(estimated) AS estimated_requests,
  COALESCE(SUM(CASE WHEN estimated = 1 THEN cost_pico_usd ELSE 0 END), 0) AS estimated_pico_usd,
  SUM(input_tokens) AS input_tokens,
  SUM(cache_write_5m_tokens) AS cache_write_5m_tokens,
  SUM(cache_write_1h_tokens) AS cache_write_1h_tokens,
  SUM(cache_read_tokens) AS cache_read_tokens,
  SUM(output_tokens) AS output_tokens,
  COALESCE(SUM(cost_pico_usd), 0) AS cost_pico_usd`;

function nonNegativeInteger(value: number | null | undefined, name: string, issues: string[]) {
  if (value === null || value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 0)
    issues.push(`${name} must be a non-negative integer`);
}

function validate(input: LedgerEntryInput): void {
  const issues: string[] = [];
  if (!input.modelRequested) issues.push('modelRequested is required');
  for (const [name, value] of Object.entries(input.tokens ?? {})) {
    nonNegativeInteger(value, `tokens.${name}`, issues);
  }
  nonNegativeInteger(input.retries, 'retries', issues);
  nonNegativeInteger(input.webSearchRequests, 'webSearchRequests', issues);
  nonNegativeInteger(input.expectedCachedTokens, 'expectedCachedTokens', issues);
  nonNegativeInteger(input.actualCachedTokens, 'actualCachedTokens', issues);
  if (!Number.isFinite(input.durationMs) || input.durationMs < 0) {
    issues.push('durationMs must be a non-negative number');
  }
  if (input.costPicoUsd === null && !input.unpricedReason) {
    issues.push('an unpriced entry (costPicoUsd null) needs an unpricedReason');
  }
  if (input.costPicoUsd !== null && input.costPicoUsd < 0n) issues.push('costPicoUsd is negative');
  if (issues.length > 0) throw new ValidationError('ledger entry', issues);
}

function groupFromRow(row: SqlRow): LedgerGroup {
  const tokens: TokenBuckets = {
    input: sqlNumber(row.input_tokens ?? 0),
    cacheWrite5m: sqlNumber(row.cache_write_5m_tokens ?? 0),
    cacheWrite1h: sqlNumber(row.cache_write_1h_tokens ?? 0),
    cacheRead: sqlNumber(row.cache_read_tokens ?? 0),
    output: sqlNumber(row.output_tokens ?? 0),
  };
  const costPicoUsd = sqlBigInt(row.cost_pico_usd);
  return {
    key: sqlStringOrNull(row.group_key),
    requests: sqlNumber(row.requests),
    failedRequests: sqlNumber(row.failed_requests ?? 0),
    unpricedRequests: sqlNumber(row.unpriced_requests ?? 0),
    partialRequests: sqlNumber(row.partial_requests ?? 0),
    estimatedRequests: sqlNumber(row.estimated_requests ?? 0),
    estimatedCostPicoUsd: sqlBigInt(row.estimated_pico_usd ?? 0),
    tokens,
    costPicoUsd,
    costUsdText: formatPicoUsd(costPicoUsd),
    cacheHitRatio: cacheHitRatio(tokens),
  };
}

function entryFromRow(row: SqlRow): LedgerEntry {
  const tokens: TokenBuckets = {
    input: sqlNumber(row.input_tokens),
    cacheWrite5m: sqlNumber(row.cache_write_5m_tokens),
    cacheWrite1h: sqlNumber(row.cache_write_1h_tokens),
    cacheRead: sqlNumber(row.cache_read_tokens),
    output: sqlNumber(row.output_tokens),
  };
  const costPicoUsd = sqlBigIntOrNull(row.cost_pico_usd);
  return {
    id: String(row.id),
    time: new Date(sqlNumber(row.time_ms)),
    requestId: sqlStringOrNull(row.request_id),
    modelRequested: String(row.model_requested),
    modelServed: sqlStringOrNull(row.model_served),
    tags: JSON.parse(String(row.tags_json)) as LedgerTags,
    durationMs: sqlNumber(row.duration_ms),
    timeToFirstTokenMs: sqlNumberOrNull(row.time_to_first_token_ms),
    retries: sqlNumber(row.retries),
    stopReason: sqlStringOrNull(row.stop_reason),
    tokens,
    webSearchRequests: sqlNumber(row.web_search_requests),
    cacheHitRatio: cacheHitRatio(tokens),
    priced: sqlBoolean(row.priced),
    costPicoUsd,
    costUsdText: costPicoUsd === null ? null : formatPicoUsd(costPicoUsd),
    unpricedReason: sqlStringOrNull(row.unpriced_reason),
    partial: sqlBoolean(row.partial),
    batch: sqlBoolean(row.batch),
    errorCode: sqlStringOrNull(row.error_code),
    expectedCachedTokens: sqlNumberOrNull(row.expected_cached_tokens),
    actualCachedTokens: sqlNumberOrNull(row.actual_cached_tokens),
    status: String(row.status ?? 'complete') as LedgerCallStatus,
    estimated: sqlBoolean(row.estimated ?? 0),
    reservationId: sqlStringOrNull(row.reservation_id),
    start:
      row.start_json === null || row.start_json === undefined
        ? null
        : (JSON.parse(String(row.start_json)) as LedgerCallStartFacts),
  };
}

function whereClause(filter: LedgerFilter): { sql: string; params: SqlValue[] } {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  const add = (condition: string, value: SqlValue) => {
    conditions.push(condition);
    params.push(value);
  };
  if (filter.from) add('time_ms >= ?', filter.from.getTime());
  if (filter.to) add('time_ms < ?', filter.to.getTime());
  if (filter.feature !== undefined) add('tag_feature = ?', filter.feature);
  if (filter.user !== undefined) add('tag_user = ?', filter.user);
  if (filter.session !== undefined) add('tag_session = ?', filter.session);
  if (filter.model !== undefined) add('model = ?', filter.model);
  return { sql: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/**
 * The record of every call: tokens, exact cost, timing and outcome, tagged by feature, user,
 * session and prompt, with cost reports over any of those. The same code runs on SQLite and
 * PostgreSQL through `Storage`.
 */
export class LedgerStore {
  readonly #storage: Storage;
  readonly #now: () => Date;
  readonly #generateId: () => string;
  #ready: Promise<unknown> | undefined;

  constructor(options: LedgerStoreOptions) {
    this.#storage = options.storage;
    this.#now = options.now ?? (() => new Date());
    this.#generateId = options.generateId ?? (() => timeOrderedId());
  }

  /** Creates or upgrades the ledger's tables; called by every method, safe to call yourself. */
  ready(): Promise<unknown> {
    this.#ready ??= this.#storage.migrate(ledgerMigrations).catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  /** Records one call and returns the stored entry. A repeated id keeps the first entry. */
  async record(input: LedgerEntryInput): Promise<LedgerEntry> {
    validate(input);
    await this.ready();
    const { id, values } = this.#row(input);
    await this.#storage.execute(insertSql, values);
    const stored = await this.get(id);
    if (!stored) throw new Error(`ledger entry ${id} vanished after insert`);
    return stored;
  }

  /**
   * Records several calls in one transaction (one commit instead of one per entry) and returns
   * their ids. All or nothing: an invalid entry rejects the batch before anything is written.
   */
  async recordMany(inputs: readonly LedgerEntryInput[]): Promise<string[]> {
    for (const input of inputs) validate(input);
    await this.ready();
    const rows = inputs.map((input) => this.#row(input));
    if (rows.length === 0) return [];
    await this.#storage.executeMany(
      insertSql,
      rows.map((row) => row.values),
    );
    return rows.map((row) => row.id);
  }

  #row(input: LedgerEntryInput): { id: string; values: SqlValue[] } {
    const time = input.time ?? this.#now();
    const tags: LedgerTags = {};
    for (const [name, value] of Object.entries(input.tags ?? {})) {
      if (typeof value === 'string') tags[name] = value;
    }
    const id = input.id ?? this.#generateId();
    const modelServed = input.modelServed ?? null;
    const priced = input.costPicoUsd !== null;
    const values: SqlValue[] = [
      id,
      time.getTime(),
      time.toISOString().slice(0, 10),
      input.requestId ?? null,
      input.modelRequested,
      modelServed,
      modelServed ?? input.modelRequested,
      ...namedTags.map((name) => tags[name] ?? null),
      JSON.stringify(tags),
      Math.round(input.durationMs),
      input.timeToFirstTokenMs === undefined || input.timeToFirstTokenMs === null
        ? null
        : Math.round(input.timeToFirstTokenMs),
      input.retries ?? 0,
      input.stopReason ?? null,
      input.tokens?.input ?? 0,
      input.tokens?.cacheWrite5m ?? 0,
      input.tokens?.cacheWrite1h ?? 0,
      input.tokens?.cacheRead ?? 0,
      input.tokens?.output ?? 0,
      input.webSearchRequests ?? 0,
      priced,
      input.costPicoUsd,
      priced ? null : (input.unpricedReason ?? null),
      input.partial ?? false,
      input.batch ?? false,
      input.errorCode ?? null,
      input.expectedCachedTokens ?? null,
      input.actualCachedTokens ?? null,
      'complete',
      false,
      input.reservationId ?? null,
      null,
      null,
    ];
    return { id, values };
  }

  /**
   * Records a call as `started`, before its request is sent (the client awaits this), so a
   * process killed mid-call leaves a row. The finished call's entry, recorded with the same id,
   * replaces it; `reconcileInterruptedCalls` closes rows whose call can no longer be running.
   */
  async recordStarted(input: LedgerStartInput): Promise<void> {
    await this.ready();
    const { values } = this.#row({
      id: input.id,
      time: input.time,
      modelRequested: input.modelRequested,
      tags: input.tags ?? {},
      durationMs: 0,
      costPicoUsd: 0n,
      reservationId: input.reservationId ?? null,
    });
    values[statusColumn] = 'started';
    values[statusColumn + 3] = input.facts.deadlineMs;
    values[statusColumn + 4] = JSON.stringify(input.facts);
    await this.#storage.execute(insertStartedSql, values);
  }

  /** Calls still marked `started`, oldest first: in flight somewhere, or cut by a crash. */
  async startedCalls(options: { limit?: number } = {}): Promise<LedgerEntry[]> {
    await this.ready();
    const rows = await this.#storage.query(
      `SELECT * FROM keel_ledger_entries WHERE status = 'started' ORDER BY time_ms, id LIMIT ?`,
      [options.limit ?? 1000],
    );
    return rows.map(entryFromRow);
  }

  /**
   * Closes a `started` call whose process died: status `interrupted`, error code `interrupted`,
   * the given estimate as its tokens and cost, flagged `estimated` and `partial`. Returns false
   * when the row was no longer `started` (finished, or closed by another process meanwhile).
   */
  async markInterrupted(id: string, estimate: InterruptedCallEstimate): Promise<boolean> {
    await this.ready();
    if (estimate.costPicoUsd === null && !estimate.unpricedReason) {
      throw new ValidationError('ledger interruption', ['an unpriced estimate needs a reason']);
    }
    const { changes } = await this.#storage.execute(
      `UPDATE keel_ledger_entries SET status = 'interrupted', estimated = 1, partial = 1,
         error_code = 'interrupted', duration_ms = ?, input_tokens = ?, cache_write_5m_tokens = ?,
         cache_write_1h_tokens = ?, cache_read_tokens = ?, output_tokens = ?, priced = ?,
         cost_pico_usd = ?, unpriced_reason = ?
       WHERE id = ? AND status = 'started'`,
      [
        Math.max(0, Math.round(estimate.durationMs)),
        estimate.tokens.input ?? 0,
        estimate.tokens.cacheWrite5m ?? 0,
        estimate.tokens.cacheWrite1h ?? 0,
        estimate.tokens.cacheRead ?? 0,
        estimate.tokens.output ?? 0,
        estimate.costPicoUsd !== null,
        estimate.costPicoUsd,
        estimate.costPicoUsd === null ? (estimate.unpricedReason ?? null) : null,
        id,
      ],
    );
    return changes > 0;
  }

  /** One entry by id. */
  async get(id: string): Promise<LedgerEntry | undefined> {
    await this.ready();
    const [row] = await this.#storage.query('SELECT * FROM keel_ledger_entries WHERE id = ?', [id]);
    return row ? entryFromRow(row) : undefined;
  }

  /** Entries matching the filter, newest first. */
  async list(options: ListEntriesOptions = {}): Promise<LedgerEntry[]> {
    await this.ready();
    const where = whereClause(options);
    const rows = await this.#storage.query(
      `SELECT * FROM keel_ledger_entries ${where.sql} ORDER BY time_ms DESC, id LIMIT ?`,
      [...where.params, options.limit ?? 100],
    );
    return rows.map(entryFromRow);
  }

  /** Totals over the filter, without grouping. */
  async total(filter: LedgerFilter = {}): Promise<LedgerGroup> {
    await this.ready();
    const where = whereClause(filter);
    const [row] = await this.#storage.query(
      `SELECT NULL AS group_key, ${sumColumns} FROM keel_ledger_entries ${where.sql}`,
      where.params,
    );
    return groupFromRow(row ?? { requests: 0, cost_pico_usd: 0 });
  }

  /**
   * Cost and tokens grouped by feature, user, session, model, prompt or day. Days come oldest
   * first; other groups by cost, highest first.
   */
  async summarize(options: SummarizeOptions): Promise<LedgerGroup[]> {
    await this.ready();
    const column = groupColumns[options.groupBy];
    if (!column)
      throw new ValidationError('ledger summary', [`cannot group by ${options.groupBy}`]);
    const where = whereClause(options);
    const order =
      options.groupBy === 'day' ? 'group_key' : 'cost_pico_usd DESC, requests DESC, group_key';
    const rows = await this.#storage.query(
      `SELECT ${column} AS group_key, ${sumColumns} FROM keel_ledger_entries ${where.sql}
       GROUP BY ${column} ORDER BY ${order}`,
      where.params,
    );
    return rows.map(groupFromRow);
  }

  /** The users, features or models that spent the most (untagged entries excluded). */
  async topSpenders(options: TopSpendersOptions): Promise<LedgerGroup[]> {
    await this.ready();
    const column = groupColumns[options.by];
    if (!column) throw new ValidationError('ledger top spenders', [`cannot rank by ${options.by}`]);
    const limit = options.limit ?? 10;
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new ValidationError('ledger top spenders', ['limit must be a positive integer']);
    }
    const where = whereClause({ from: options.from, to: options.to, session: options.session });
    const conditions = [where.sql || 'WHERE 1 = 1', `${column} IS NOT NULL`].join(' AND ');
    const rows = await this.#storage.query(
      `SELECT ${column} AS group_key, ${sumColumns} FROM keel_ledger_entries ${conditions}
       GROUP BY ${column} ORDER BY cost_pico_usd DESC, requests DESC, group_key LIMIT ?`,
      [...where.params, limit],
    );
    return rows.map(groupFromRow);
  }
}
