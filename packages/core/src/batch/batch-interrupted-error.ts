import { KeelError } from '@keel/errors';

/** Facts about a batch run that was stopped before its results were in. */
export interface BatchInterruptedErrorDetails {
  /** The job to resume (run again with the same input or `jobId`). */
  jobId: string;
  /** The batches submitted so far; they keep processing on the server. */
  batchIds: string[];
}

/** The run's AbortSignal fired. Nothing is lost: running it again resumes the same batches. */
export class BatchInterruptedError extends KeelError<
  BatchInterruptedErrorDetails,
  'batch_interrupted'
> {
  constructor(details: BatchInterruptedErrorDetails, cause: unknown) {
    super(
      'batch_interrupted',
      `Batch job ${details.jobId} was interrupted; run it again to resume`,
      details,
      { cause },
    );
  }
}
