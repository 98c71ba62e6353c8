import type { FeatureMigrations } from '../storage/storage.ts';

/**
 * Budget state: one counter row per limit × scope key × period (what was spent), and one hold row
 * per reservation × counter (what calls in flight may still spend). Holds carry an expiry so a
 * process that dies mid-call cannot keep budget locked forever.
 */
export const budgetMigrations: FeatureMigrations = {
  feature: 'budget',
  migrations: [
    {
      version: 1,
      name: 'budget counters and holds',
      sql: `
CREATE TABLE keel_budget_counters (
  counter_key TEXT PRIMARY KEY,
  limit_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  scope_key TEXT NOT NULL,
  period TEXT NOT NULL,
  period_start TEXT NOT NULL,
  spent_pico_usd BIGINT NOT NULL,
  spent_tokens BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
CREATE TABLE keel_budget_holds (
  reservation_id TEXT NOT NULL,
  counter_key TEXT NOT NULL,
  pico_usd BIGINT NOT NULL,
  tokens BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  PRIMARY KEY (reservation_id, counter_key)
);
CREATE INDEX keel_budget_holds_counter ON keel_budget_holds (counter_key, expires_at_ms);
`,
    },
  ],
};
