export { batchMigrations } from './batch-migrations.ts';
export {
  memoryBatchJobStore,
  storageBatchJobStore,
  type BatchJobStore,
  type BatchRound,
} from './batch-job-store.ts';
export {
  BatchInterruptedError,
  type BatchInterruptedErrorDetails,
} from './batch-interrupted-error.ts';
export type {
  BatchItemResult,
  BatchProgress,
  BatchRequest,
  BatchResultStatus,
} from './batch-types.ts';
export { batchJobId, runBatch, type RunBatchOptions, type RunBatchResult } from './run-batch.ts';
