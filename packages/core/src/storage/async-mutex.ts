/** A FIFO lock for async work: one holder at a time, waiters served in arrival order. */
export class AsyncMutex {
  #tail: Promise<void> = Promise.resolve();

  /** Runs `work` once every earlier holder has finished. */
  run<T>(work: () => Promise<T> | T): Promise<T> {
    const result = this.#tail.then(() => work());
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
