import { AsyncLocalStorage } from 'node:async_hooks';
import type { EmitChatEvent } from './chat-events.ts';

interface TurnScope {
  emit: EmitChatEvent;
  attempts: number;
  lastFailure?: string;
}

/**
 * Makes the client's invisible retries visible to the turn that waits for them. The KeelClient
 * has no per-call retry hook, so the SDK's fetch notes each failed response (or dropped
 * connection) in the turn's async context, and the client's backoff sleep reports it as a `retry`
 * event with the actual delay. Waits with no failure before them (client-side rate limiting) are
 * not retries and are not reported.
 */
export class RetryObserver {
  readonly #scope = new AsyncLocalStorage<TurnScope>();

  /** Runs `work` with retries reported to `emit`. */
  run<T>(emit: EmitChatEvent, work: () => T): T {
    return this.#scope.run({ emit, attempts: 0 }, work);
  }

  /** A fetch that notes retryable failures for the current turn. */
  fetch(base: typeof fetch = fetch): typeof fetch {
    return async (input, init) => {
      const scope = this.#scope.getStore();
      try {
        const response = await base(input, init);
        if (scope && (response.status === 429 || response.status >= 500)) {
          scope.lastFailure = failureReason(response.status);
        }
        return response;
      } catch (error) {
        if (scope && !init?.signal?.aborted) scope.lastFailure = 'connection_error';
        throw error;
      }
    };
  }

  /** Wraps the client's sleep: a wait after a failure is a retry. */
  sleep(
    base: (ms: number, signal?: AbortSignal) => Promise<void>,
  ): (ms: number, signal?: AbortSignal) => Promise<void> {
    return (ms, signal) => {
      const scope = this.#scope.getStore();
      if (scope?.lastFailure) {
        scope.attempts += 1;
        scope.emit({
          type: 'retry',
          attempt: scope.attempts,
          delayMs: Math.round(ms),
          reason: scope.lastFailure,
        });
        scope.lastFailure = undefined;
      }
      return base(ms, signal);
    };
  }
}

function failureReason(status: number): string {
  if (status === 529) return 'overloaded';
  if (status === 429) return 'rate_limited';
  return 'server_error';
}

/** Sleeps `ms`, rejecting early when `signal` aborts. */
export function timerSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
