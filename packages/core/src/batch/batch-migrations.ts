import type { FeatureMigrations } from '../storage/storage.ts';

/**
 * Batch jobs: one row per job (its input hash and the batches submitted for it, in rounds), and
 * one row per request result, so an interrupted run resumes instead of submitting again.
 */
export const batchMigrations: FeatureMigrations = {
  feature: 'batch',
  migrations: [
    {
      version: 1,
      name: 'batch jobs and results',
      sql: `
CREATE TABLE keel_batch_jobs (
  job_id TEXT PRIMARY KEY,
  rounds_json TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
CREATE TABLE keel_batch_results (
  job_id TEXT NOT NULL,
  custom_id TEXT NOT NULL,
  round INTEGER NOT NULL,
  status TEXT NOT NULL,
  result_json TEXT NOT NULL,
  PRIMARY KEY (job_id, custom_id)
);
`,
    },
  ],
};
