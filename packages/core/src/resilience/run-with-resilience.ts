import type { AttemptRecord } from './attempt-record.ts';
import { backoffDelay } from './backoff.ts';
import type { CircuitBreakerRegistry } from './circuit-breaker.ts';
import { CircuitOpenError } from './circuit-open-error.ts';
import { ClaudeApiError } from './claude-api-error.ts';
import { classifyFailure, type Failure } from './classify-failure.ts';
import type { Clock, Sleep } from './clock.ts';
import type { RateLimiter, RateLimitPermit } from './rate-limiter.ts';
import type { ResilienceOptions } from './resilience-options.ts';
import { RetryExhaustedError } from './retry-exhausted-error.ts';

/** What the resilient loop needs to run one call. */
export interface RunWithResilienceOptions<T> {
  /** The requested model followed by its fallbacks. */
  models: string[];
  /** Retry, backoff and fallback policy. */
  policy: ResilienceOptions;
  /** Breakers, one per model. */
  breakers: CircuitBreakerRegistry;
  /** Concurrency cap and rate limiter. */
  limiter: RateLimiter;
  clock: Clock;
  sleep: Sleep;
  /** Returns a number in [0, 1), for jitter. */
  random: () => number;
  /** Aborts waiting and attempts. */
  signal?: AbortSignal;
  /** Estimates input tokens (called only once a token allowance has been learned). */
  estimateInputTokens: () => number;
  /** One attempt against one model. Throws the SDK's error on failure. */
  attempt: (model: string, attemptIndex: number) => Promise<T>;
  /** Told about every failed attempt (for logs and traces). */
  onFailure?: (failure: Failure, record: AttemptRecord) => void;
}

/** A successful run. The caller must release `permit` when it is done with the response. */
export interface ResilientOutcome<T> {
  /** What the successful attempt returned. */
  value: T;
  /** The model that served the call. */
  model: string;
  /** Every attempt, including the successful last one. */
  attempts: AttemptRecord[];
  /** Retries made (failed attempts before the successful one). */
  retries: number;
  /** The concurrency slot held by the call. */
  permit: RateLimitPermit;
}

/**
 * Runs attempts with retries (exponential backoff with jitter, honouring retry-after), a
 * circuit breaker per model and a fallback chain taken on overload, 5xx and open circuits.
 * Never retries or falls back on other 4xx. Throws `ClaudeApiError`, `RetryExhaustedError`,
 * `CircuitOpenError`, or the original error for aborts and unexpected exceptions.
 */
export async function runWithResilience<T>(
  options: RunWithResilienceOptions<T>,
): Promise<ResilientOutcome<T>> {
  const { models, policy, breakers, limiter, clock, sleep, signal } = options;
  const maxRetries = policy.maxRetries ?? 3;
  const maxAttemptsPerModel = policy.maxAttemptsPerModel ?? 2;
  const maxRetryAfterMs = policy.maxRetryAfterMs ?? 60_000;
  const attempts: AttemptRecord[] = [];
  const openModels: string[] = [];
  let retries = 0;
  let lastFailure: Failure | undefined;

  for (let index = 0; index < models.length; index++) {
    const model = models[index]!;
    const isLastModel = index === models.length - 1;
    const breaker = breakers.get(model);
    let attemptsOnModel = 0;
    for (;;) {
      if (!breaker.tryAcquire()) {
        openModels.push(model);
        attempts.push({ model, outcome: 'circuit_open', durationMs: 0 });
        break;
      }
      let permit: RateLimitPermit;
      try {
        const acquired = limiter.acquire(model, options.estimateInputTokens, signal);
        permit = acquired instanceof Promise ? await acquired : acquired;
      } catch (error) {
        breaker.release();
        throw error;
      }
      const started = clock.now();
      try {
        const value = await options.attempt(model, attempts.length);
        breaker.recordSuccess();
        attempts.push({ model, outcome: 'success', durationMs: clock.now() - started });
        return { value, model, attempts, retries, permit };
      } catch (error) {
        permit.release();
        const failure = classifyFailure(error, clock.now());
        if (failure.breakerFailure) breaker.recordFailure();
        else breaker.release();
        const record: AttemptRecord = {
          model,
          outcome: failure.kind,
          durationMs: clock.now() - started,
        };
        if (failure.status !== undefined) record.status = failure.status;
        if (failure.requestId !== undefined) record.requestId = failure.requestId;
        attempts.push(record);
        lastFailure = failure;
        if (failure.kind === 'aborted' || failure.kind === 'unknown') {
          options.onFailure?.(failure, record);
          throw error;
        }
        if (!failure.retryable) {
          options.onFailure?.(failure, record);
          throw new ClaudeApiError(failure, model);
        }
        attemptsOnModel++;
        const moveOn =
          failure.fallbackEligible && !isLastModel && attemptsOnModel >= maxAttemptsPerModel;
        if (retries >= maxRetries) {
          options.onFailure?.(failure, record);
          throw new RetryExhaustedError(
            {
              attempts,
              models: [...new Set(attempts.map((attempt) => attempt.model))],
              lastFailure: failure.kind,
              lastStatus: failure.status,
              lastRequestId: failure.requestId,
            },
            error,
          );
        }
        retries++;
        const headers = (error as { headers?: unknown }).headers;
        if (failure.kind === 'rate_limited' && headers instanceof Headers)
          limiter.observe(model, headers);
        if (failure.kind === 'rate_limited' && failure.retryAfterMs !== undefined) {
          limiter.pause(model, Math.min(failure.retryAfterMs, maxRetryAfterMs));
        }
        const delay = moveOn
          ? 0
          : failure.retryAfterMs !== undefined
            ? Math.min(failure.retryAfterMs, maxRetryAfterMs)
            : backoffDelay(retries - 1, policy.backoff ?? {}, options.random);
        record.delayMs = delay;
        options.onFailure?.(failure, record);
        if (moveOn) break;
        // A 429's wait is enforced by the limiter's pause; other waits happen here.
        if (delay > 0 && failure.kind !== 'rate_limited') await sleep(delay, signal);
        else if (delay > 0 && failure.retryAfterMs === undefined) await sleep(delay, signal);
      }
    }
  }

  if (!lastFailure) {
    const retryAts = openModels
      .map((model) => breakers.get(model).retryAt)
      .filter((at): at is number => at !== undefined);
    throw new CircuitOpenError({
      models: openModels,
      retryAt: retryAts.length > 0 ? Math.min(...retryAts) : undefined,
    });
  }
  throw new RetryExhaustedError(
    {
      attempts,
      models: [...new Set(attempts.map((attempt) => attempt.model))],
      lastFailure: lastFailure.kind,
      lastStatus: lastFailure.status,
      lastRequestId: lastFailure.requestId,
    },
    lastFailure.error,
  );
}
