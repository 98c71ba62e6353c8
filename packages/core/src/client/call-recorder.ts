import type { CallRecord } from './call-record.ts';

/** Receives every finished call. Recording must not throw into the call path. */
export interface CallRecorder {
  /** Records one call; may buffer (then `flush` must write everything). */
  record(record: CallRecord): void | Promise<void>;
  /** Writes anything buffered. Called by `KeelClient.close()`. */
  flush?(): Promise<void>;
}
