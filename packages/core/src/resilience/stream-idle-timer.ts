import { APIConnectionTimeoutError } from '@anthropic-ai/sdk';

/**
 * Aborts a stream that goes silent. The SDK's timeout stops at the response headers, so without
 * this a connection that stalls mid-body hangs until the operating system gives up on it.
 *
 * Armed when the attempt starts. Events only bump a counter (`touch`, one increment: a stream
 * has hundreds of events and this sits on the client's hot path); the timer looks at the
 * counter when it fires and re-arms while events keep coming, so a stream is stopped after
 * between one and two idle periods of silence.
 */
export class StreamIdleTimer {
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #idleMs: number;
  #events = 0;
  #seen = 0;
  #fired = false;

  constructor(idleMs: number, onIdle: () => void) {
    this.#idleMs = idleMs;
    this.#timer = setTimeout(() => {
      if (this.#events !== this.#seen) {
        this.#seen = this.#events;
        this.#timer.refresh();
        return;
      }
      this.#fired = true;
      onIdle();
    }, idleMs);
    this.#timer.unref?.();
  }

  /** An event arrived (or the caller took its time with one): the stream is not silent. */
  touch(): void {
    this.#events++;
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
      message: `The stream sent nothing for ${this.#idleMs} ms or more and was stopped.`,
    });
  }
}
