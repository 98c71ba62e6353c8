import type { FeatureMigrations } from '../storage/storage.ts';

/** The ledger's tables. Money is BIGINT picodollars; flags are 0/1 integers in both engines. */
export const ledgerMigrations: FeatureMigrations = {
  feature: 'ledger',
  migrations: [
    {
      version: 1,
      name: 'ledger entries',
      sql: `
CREATE TABLE keel_ledger_entries (
  id TEXT PRIMARY KEY,
  time_ms BIGINT NOT NULL,
  day TEXT NOT NULL,
  request_id TEXT,
  model_requested TEXT NOT NULL,
  model_served TEXT,
  model TEXT NOT NULL,
  tag_feature TEXT,
  tag_user TEXT,
  tag_session TEXT,
  tag_prompt_id TEXT,
  tag_prompt_version TEXT,
  tags_json TEXT NOT NULL,
  duration_ms BIGINT NOT NULL,
  time_to_first_token_ms BIGINT,
  retries INTEGER NOT NULL,
  stop_reason TEXT,
  input_tokens BIGINT NOT NULL,
  cache_write_5m_tokens BIGINT NOT NULL,
  cache_write_1h_tokens BIGINT NOT NULL,
  cache_read_tokens BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  web_search_requests INTEGER NOT NULL,
  priced INTEGER NOT NULL,
  cost_pico_usd BIGINT,
  unpriced_reason TEXT,
  partial INTEGER NOT NULL,
  batch INTEGER NOT NULL,
  error_code TEXT,
  expected_cached_tokens BIGINT,
  actual_cached_tokens BIGINT
);
CREATE INDEX keel_ledger_entries_time ON keel_ledger_entries (time_ms);
CREATE INDEX keel_ledger_entries_feature ON keel_ledger_entries (tag_feature, time_ms);
CREATE INDEX keel_ledger_entries_user ON keel_ledger_entries (tag_user, time_ms);
CREATE INDEX keel_ledger_entries_session ON keel_ledger_entries (tag_session, time_ms);
CREATE INDEX keel_ledger_entries_model ON keel_ledger_entries (model, time_ms);
CREATE INDEX keel_ledger_entries_day ON keel_ledger_entries (day);
`,
    },
    {
      version: 2,
      name: 'calls recorded when they start',
      // A row is written as `started` before the request is sent and replaced when the call
      // ends, so a process killed mid-call leaves a row for start-up reconciliation to settle.
      sql: `
ALTER TABLE keel_ledger_entries ADD COLUMN status TEXT NOT NULL DEFAULT 'complete';
ALTER TABLE keel_ledger_entries ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE keel_ledger_entries ADD COLUMN reservation_id TEXT;
ALTER TABLE keel_ledger_entries ADD COLUMN deadline_ms BIGINT;
ALTER TABLE keel_ledger_entries ADD COLUMN start_json TEXT;
CREATE INDEX keel_ledger_entries_status ON keel_ledger_entries (status, deadline_ms);
`,
    },
  ],
};
