import { KeelError } from '@keel/errors';

/** A batch write that failed: the statement was rejected, or the background writer stopped. */
export class StorageWriteError extends KeelError<
  { location: string; engineCode?: string },
  'storage_write_failed'
> {
  constructor(
    location: string,
    message: string,
    engineCode?: string,
    options?: { cause?: unknown },
  ) {
    super(
      'storage_write_failed',
      `A batch write to ${location} failed and was rolled back: ${message}`,
      engineCode === undefined ? { location } : { location, engineCode },
      options,
    );
  }

  /** Wraps what an engine threw (its message and code kept, the error as the cause). */
  static from(location: string, error: unknown): StorageWriteError {
    const code = (error as { code?: unknown } | null)?.code;
    return new StorageWriteError(
      location,
      error instanceof Error ? error.message : String(error),
      typeof code === 'string' ? code : undefined,
      { cause: error },
    );
  }
}
