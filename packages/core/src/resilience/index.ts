export type { AttemptRecord } from './attempt-record.ts';
export { backoffDelay, type BackoffOptions } from './backoff.ts';
export { CallTimeoutError, type CallTimeoutErrorDetails } from './call-timeout-error.ts';
export {
  CircuitBreaker,
  CircuitBreakerRegistry,
  type CircuitBreakerOptions,
  type CircuitState,
  type CircuitTransition,
} from './circuit-breaker.ts';
export { CircuitOpenError, type CircuitOpenErrorDetails } from './circuit-open-error.ts';
export { ClaudeApiError, type ClaudeApiErrorDetails } from './claude-api-error.ts';
export {
  classifyFailure,
  retryAfterFromHeaders,
  type Failure,
  type FailureKind,
} from './classify-failure.ts';
export { systemClock, timerSleep, type Clock as ResilienceClock, type Sleep } from './clock.ts';
export {
  RateLimiter,
  readRateLimitHeaders,
  type RateLimitPermit,
  type RateLimitSnapshot,
  type RateLimiterOptions,
} from './rate-limiter.ts';
export type { ResilienceOptions } from './resilience-options.ts';
export { RetryExhaustedError, type RetryExhaustedErrorDetails } from './retry-exhausted-error.ts';
export {
  runWithResilience,
  type ResilientOutcome,
  type RunWithResilienceOptions,
} from './run-with-resilience.ts';
export { StreamEndedEarlyError } from './stream-ended-early-error.ts';
