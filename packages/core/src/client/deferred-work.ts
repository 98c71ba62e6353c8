/**
 * Work that must happen after a call but not on its critical path (the log line, ledger and
 * recorder writes). Tasks are queued and run together, `windowMs` after the first of them was
 * queued: one batch of warm code instead of the same cold code once per call (a log line costs
 * about 4 us in a batch and over 20 us alone, between two HTTP requests). A log line therefore
 * appears at most `windowMs` late. The timer keeps the process alive, so a natural exit still
 * writes everything; `drain()` runs whatever is queued right away, and `KeelClient.flush()` and
 * `close()` call it.
 */
export class DeferredWork {
  #queue: Array<() => void> = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onError: (error: unknown) => void;
  readonly #windowMs: number;
  readonly #maxQueued: number;

  constructor(
    onError: (error: unknown) => void,
    options: { windowMs?: number; maxQueued?: number } = {},
  ) {
    this.#onError = onError;
    this.#windowMs = options.windowMs ?? 20;
    this.#maxQueued = options.maxQueued ?? 500;
  }

  /** Queues a task. */
  defer(task: () => void): void {
    this.#queue.push(task);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.drain(), this.#windowMs);
    } else if (this.#queue.length === this.#maxQueued) {
      // A burst: run the batch on the next turn instead of holding more of it.
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.drain(), 0);
    }
  }

  /** Runs every queued task now. */
  drain(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
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
