import { APIConnectionTimeoutError } from '@anthropic-ai/sdk';

/**
 * Aborts a stream that goes silent. The SDK's timeout stops at the response headers, so without
 * this a connection that stalls mid-body hangs until the operating system gives up on it. Armed
 * when the attempt starts, pushed back by every event (`touch`, a cheap timer refresh).
 */
export class StreamIdleTimer {
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #idleMs: number;
  #fired = false;

  constructor(idleMs: number, onIdle: () => void) {
    this.#idleMs = idleMs;
    this.#timer = setTimeout(() => {
      this.#fired = true;
      onIdle();
    }, idleMs);
    this.#timer.unref?.();
  }

  /** An event arrived: the silence starts over. */
  touch(): void {
    this.#timer.refresh();
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  /** True once the stream was aborted for silence. */
  get fired(): boolean {
    return this.#fired;
  }

  /**
   * The error to report instead of the abort the timer caused: the SDK's timeout error, which
   * the resilience layer retries (before any content reached the caller) like any timeout.
   */
  error(cause: unknown): unknown {
    if (!this.#fired) return cause;
    return new APIConnectionTimeoutError({
      message: `The stream sent nothing for ${this.#idleMs} ms and was stopped.`,
    });
  }
}
