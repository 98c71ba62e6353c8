import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import { KeelError } from '@keel/errors';
import type { CallResult } from '../call/call-result.ts';
import type { KeelStreamEvent } from './stream-events.ts';

/**
 * A streaming call: iterate it for typed events (`for await (const event of stream)`), or await
 * `finalMessage()` / `result()`. Iterate at most once. `abort()` (or the call's AbortSignal, or
 * leaving the loop early) stops it; usage spent so far is still recorded.
 */
export class KeelStream implements AsyncIterable<KeelStreamEvent> {
  readonly #events: AsyncGenerator<KeelStreamEvent, void, undefined>;
  readonly #controller: AbortController;
  readonly #result: Promise<CallResult>;
  #resolve!: (result: CallResult) => void;
  #reject!: (error: unknown) => void;
  #started = false;

  constructor(
    events: (controller: AbortController) => AsyncGenerator<KeelStreamEvent, void, undefined>,
    controller: AbortController,
  ) {
    this.#controller = controller;
    this.#result = new Promise<CallResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // The result promise is observed by result()/finalMessage(); never an unhandled rejection.
    this.#result.catch(() => {});
    this.#events = events(controller);
  }

  /** Stops the stream. Iteration ends with `CallAbortedError`. */
  abort(reason?: unknown): void {
    this.#controller.abort(reason);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<KeelStreamEvent, void, undefined> {
    if (this.#started) {
      throw new KeelError('stream_consumed', 'A Keel stream can be iterated only once', {});
    }
    this.#started = true;
    let finished = false;
    try {
      for await (const event of this.#events) {
        if (event.type === 'finish') {
          finished = true;
          this.#resolve(event.result);
        }
        yield event;
      }
      if (!finished)
        this.#reject(new KeelError('stream_incomplete', 'The stream ended without a result', {}));
    } catch (error) {
      this.#reject(error);
      throw error;
    } finally {
      if (!finished) {
        this.#reject(
          new KeelError('stream_abandoned', 'The stream was left before it finished', {}),
        );
      }
    }
  }

  /** The complete call result (consumes the stream if nobody is iterating it). */
  async result(): Promise<CallResult> {
    if (!this.#started) {
      for await (const _event of this) {
        // drained for the result
      }
    }
    return this.#result;
  }

  /** The final message (consumes the stream if nobody is iterating it). */
  async finalMessage(): Promise<Message> {
    return (await this.result()).message;
  }

  /** The final text (consumes the stream if nobody is iterating it). */
  async finalText(): Promise<string> {
    return (await this.result()).text;
  }
}
