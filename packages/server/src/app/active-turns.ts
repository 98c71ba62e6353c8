import { TurnDeadlineError } from '../chat/turn-deadline-error.ts';
import { RequestError } from '../http/http-errors.ts';

interface ActiveTurn {
  controller: AbortController;
  done: Promise<unknown>;
  deadline: ReturnType<typeof setTimeout> | undefined;
}

/** The answers streaming in this process, one per session, so they can be stopped or drained. */
export class ActiveTurns {
  readonly #turns = new Map<string, ActiveTurn>();

  /**
   * Claims the session for a new answer; 409 when one is already streaming. With `deadlineMs`,
   * the answer's signal is aborted with a `TurnDeadlineError` once that much time has passed.
   */
  claim(sessionId: string, options: { deadlineMs?: number } = {}): AbortController {
    if (this.#turns.has(sessionId)) {
      throw new RequestError(
        'turn_in_progress',
        'An answer is already streaming in this session; stop it first',
        {
          sessionId,
        },
      );
    }
    const controller = new AbortController();
    const { deadlineMs } = options;
    const deadline =
      deadlineMs === undefined
        ? undefined
        : setTimeout(() => controller.abort(new TurnDeadlineError(deadlineMs)), deadlineMs);
    deadline?.unref();
    this.#turns.set(sessionId, { controller, done: Promise.resolve(), deadline });
    return controller;
  }

  /** Records the promise that settles when the answer is stored. */
  track(sessionId: string, done: Promise<unknown>): void {
    const turn = this.#turns.get(sessionId);
    if (turn) turn.done = done;
  }

  release(sessionId: string): void {
    clearTimeout(this.#turns.get(sessionId)?.deadline);
    this.#turns.delete(sessionId);
  }

  /** Stops the session's answer; false when none is streaming here. Resolves once it is stored. */
  async stop(sessionId: string, reason: string): Promise<boolean> {
    const turn = this.#turns.get(sessionId);
    if (!turn) return false;
    turn.controller.abort(reason);
    await turn.done.catch(() => {});
    return true;
  }

  /** Stops every answer and waits until each is stored. */
  async stopAll(reason: string): Promise<void> {
    await Promise.all([...this.#turns.keys()].map((sessionId) => this.stop(sessionId, reason)));
  }

  /** True when an answer is streaming in this session in this process. */
  has(sessionId: string): boolean {
    return this.#turns.has(sessionId);
  }

  get size(): number {
    return this.#turns.size;
  }
}
