import type { CallRecord } from './call-record.ts';
import type { CallStart } from './call-start.ts';

/** Receives every finished call. Recording must not throw into the call path. */
export interface CallRecorder {
  /** Records one call; may buffer (then `flush` must write everything). */
  record(record: CallRecord): void | Promise<void>;
  /**
   * Told before the call is sent; the client waits for it, so a process killed mid-call has
   * already left a trace (the ledger's `started` row). Optional: it costs a write per call, so
   * only recorders that must survive a crash implement it. A rejection is reported, not thrown:
   * the call goes ahead.
   */
  started?(start: CallStart): Promise<void>;
  /** Writes anything buffered. Called by `KeelClient.close()`. */
  flush?(): Promise<void>;
}
