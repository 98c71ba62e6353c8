import { sqlNumber } from '../storage/sql-values.ts';
import type { Storage } from '../storage/storage.ts';
import { batchMigrations } from './batch-migrations.ts';
import type { BatchItemResult } from './batch-types.ts';

/** One submitted batch of a job. */
export interface BatchRound {
  /** The API's batch id. */
  batchId: string;
  /** The custom ids it holds. */
  customIds: string[];
}

/** Where a job's batches and results are kept; in memory when no storage is given. */
export interface BatchJobStore {
  /** The job's submitted rounds, in order (empty for a new job). */
  rounds(jobId: string): Promise<BatchRound[]>;
  /** Records a newly submitted round, before it is polled. */
  addRound(jobId: string, round: BatchRound): Promise<void>;
  /** The results recorded so far, by custom id. */
  results(jobId: string): Promise<Map<string, { round: number; result: BatchItemResult }>>;
  /** Records (or replaces) one request's result. */
  saveResult(jobId: string, round: number, result: BatchItemResult): Promise<void>;
}

/** A job store on Keel's storage (SQLite or PostgreSQL). */
export function storageBatchJobStore(storage: Storage, now: () => number): BatchJobStore {
  let ready: Promise<unknown> | undefined;
  const migrate = () => (ready ??= storage.migrate(batchMigrations));
  return {
    async rounds(jobId) {
      await migrate();
      const rows = await storage.query('SELECT rounds_json FROM keel_batch_jobs WHERE job_id = ?', [
        jobId,
      ]);
      return rows[0] ? (JSON.parse(String(rows[0].rounds_json)) as BatchRound[]) : [];
    },
    async addRound(jobId, round) {
      await migrate();
      await storage.transaction(async (tx) => {
        const rows = await tx.query('SELECT rounds_json FROM keel_batch_jobs WHERE job_id = ?', [
          jobId,
        ]);
        const at = now();
        if (rows[0]) {
          const rounds = JSON.parse(String(rows[0].rounds_json)) as BatchRound[];
          await tx.execute(
            'UPDATE keel_batch_jobs SET rounds_json = ?, updated_at_ms = ? WHERE job_id = ?',
            [JSON.stringify([...rounds, round]), at, jobId],
          );
        } else {
          await tx.execute(
            'INSERT INTO keel_batch_jobs (job_id, rounds_json, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?)',
            [jobId, JSON.stringify([round]), at, at],
          );
        }
      });
    },
    async results(jobId) {
      await migrate();
      const rows = await storage.query(
        'SELECT custom_id, round, result_json FROM keel_batch_results WHERE job_id = ?',
        [jobId],
      );
      return new Map(
        rows.map((row) => [
          String(row.custom_id),
          {
            round: sqlNumber(row.round),
            result: JSON.parse(String(row.result_json)) as BatchItemResult,
          },
        ]),
      );
    },
    async saveResult(jobId, round, result) {
      await migrate();
      await storage.transaction(async (tx) => {
        await tx.execute('DELETE FROM keel_batch_results WHERE job_id = ? AND custom_id = ?', [
          jobId,
          result.customId,
        ]);
        await tx.execute(
          'INSERT INTO keel_batch_results (job_id, custom_id, round, status, result_json) VALUES (?, ?, ?, ?, ?)',
          [jobId, result.customId, round, result.status, JSON.stringify(result)],
        );
      });
    },
  };
}

/** A job store that lives as long as the process: no resumption across runs. */
export function memoryBatchJobStore(): BatchJobStore {
  const jobs = new Map<string, BatchRound[]>();
  const results = new Map<string, Map<string, { round: number; result: BatchItemResult }>>();
  const resultsOf = (jobId: string) => {
    let map = results.get(jobId);
    if (!map)
      results.set(jobId, (map = new Map<string, { round: number; result: BatchItemResult }>()));
    return map;
  };
  return {
    rounds: async (jobId) => [...(jobs.get(jobId) ?? [])],
    addRound: async (jobId, round) => {
      jobs.set(jobId, [...(jobs.get(jobId) ?? []), round]);
    },
    results: async (jobId) => new Map(resultsOf(jobId)),
    saveResult: async (jobId, round, result) => {
      resultsOf(jobId).set(result.customId, { round, result });
    },
  };
}
