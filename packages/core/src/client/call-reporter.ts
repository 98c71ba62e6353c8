import type { CallRecord } from '../call/call-record.ts';
import type { CallRecorder } from '../call/call-recorder.ts';
import type { CallStart } from '../call/call-start.ts';
import type { CallLogger } from '../logging/call-logger.ts';
import type { CallLogRecord } from '../logging/call-log-record.ts';
import { timeOrderedId } from '../storage/time-ordered-id.ts';
import { problemLogLine } from './call-report.ts';
import { DeferredWork } from './deferred-work.ts';
import type { PreparedCall } from './prepare-call.ts';

/**
 * Stage "report": hands each call's record to the recorders (the ledger) and writes its log line,
 * both after the call has returned (batched by `DeferredWork`), and tells the recorders that
 * implement `started` about a call before it is sent. Recording never throws into the call path:
 * a problem becomes a log line.
 */
export class CallReporter {
  readonly #logger: CallLogger;
  readonly #recorders: CallRecorder[];
  readonly #startRecorders: CallRecorder[];
  readonly #deferred: DeferredWork;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(options: { logger: CallLogger; recorders: CallRecorder[]; windowMs: number }) {
    this.#logger = options.logger;
    this.#recorders = options.recorders;
    this.#startRecorders = options.recorders.filter((recorder) => recorder.started !== undefined);
    this.#deferred = new DeferredWork((error) => this.problem('deferred_task_failed', error), {
      windowMs: options.windowMs,
    });
  }

  /** Whether log lines are written at all (building one is skipped otherwise). */
  get logging(): boolean {
    return this.#logger.enabled;
  }

  /** Whether any recorder wants to hear of calls before they are sent. */
  get recordsStarts(): boolean {
    return this.#startRecorders.length > 0;
  }

  /** Logs a problem inside Keel that did not fail the call. */
  problem(status: string, error: unknown, call?: Pick<CallRecord, 'modelRequested' | 'stream'>) {
    this.#logger.write(problemLogLine(status, error, call));
  }

  /**
   * Tells the start recorders (the server's ledger) about the call before it is sent and waits
   * for them, so a crash mid-call leaves a row; their failures are reported, never thrown. Gives
   * the call its id.
   */
  async started(prepared: PreparedCall, start: Omit<CallStart, 'id'>): Promise<void> {
    prepared.id = timeOrderedId(prepared.startedAt);
    const withId: CallStart = { id: prepared.id, ...start };
    await Promise.all(
      this.#startRecorders.map((recorder) =>
        recorder.started!(withId).catch((error: unknown) =>
          this.problem('call_start_record_failed', error),
        ),
      ),
    );
  }

  /** Records a finished call and writes its log line (built only when logging is on). */
  finished(record: CallRecord, logLine: (record: CallRecord) => CallLogRecord): void {
    if (this.#recorders.length > 0) this.#deferred.defer(() => this.#recordNow(record));
    if (this.#logger.enabled) {
      const line = logLine(record);
      this.#deferred.defer(() => this.#logger.write(line));
    }
  }

  /** Writes everything queued: log lines, recorder and ledger entries. */
  async flush(): Promise<void> {
    this.#deferred.drain();
    await Promise.allSettled([...this.#pending]);
    await Promise.allSettled(this.#recorders.map(async (recorder) => recorder.flush?.()));
    this.#logger.flush();
  }

  #recordNow(record: CallRecord): void {
    for (const recorder of this.#recorders) {
      try {
        const pending = recorder.record(record);
        if (pending && typeof pending.then === 'function') {
          const tracked = pending.catch((error: unknown) =>
            this.problem('recorder_failed', error, record),
          );
          this.#pending.add(tracked);
          void tracked.finally(() => this.#pending.delete(tracked));
        }
      } catch (error) {
        this.problem('recorder_failed', error, record);
      }
    }
  }
}
