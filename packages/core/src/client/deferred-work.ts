/**
 * Work that must happen after a call but not on its critical path (the log line, ledger and
 * recorder writes). Tasks queued during a turn run together on the next `setImmediate`, which in
 * a busy service lands while the following request waits on the network. `drain()` runs whatever
 * is queued right away; `KeelClient.close()` calls it, so nothing queued is lost on shutdown.
 */
export class DeferredWork {
  #queue: Array<() => void> = [];
  #scheduled = false;
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  /** Queues a task. */
  defer(task: () => void): void {
    this.#queue.push(task);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Runs every queued task now. */
  drain(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) {
      const tasks = this.#queue;
      this.#queue = [];
      for (const task of tasks) {
        try {
          task();
        } catch (error) {
          this.#onError(error);
        }
      }
    }
  }
}
