import type { BackoffOptions } from './backoff.ts';
import type { CircuitBreakerOptions } from './circuit-breaker.ts';
import type { RateLimiterOptions } from './rate-limiter.ts';

/** How a call survives failures. Every field has a production default. */
export interface ResilienceOptions {
  /** Retries per call, across the whole fallback chain (attempts = retries + 1). Default 3. */
  maxRetries?: number;
  /**
   * Attempts on one model before an overload or 5xx moves the call to the next model of the
   * fallback chain (when there is one). Default 2.
   */
  maxAttemptsPerModel?: number;
  /** Backoff used when the server gives no retry-after. */
  backoff?: BackoffOptions;
  /** Upper bound on a server-requested wait (retry-after), ms. Default 60000. */
  maxRetryAfterMs?: number;
  /**
   * Timeout of one HTTP attempt, ms (passed to the SDK, whose timer stops at the response
   * headers; a timeout is retried). Default: see `attemptTimeoutMs`: the idle limit for streams,
   * the idle limit plus the expected generation time of `max_tokens` for non-streaming calls (at
   * most 10 minutes). A timeout set on an Anthropic client passed in is kept.
   */
  timeoutMs?: number;
  /**
   * Longest silence of a stream, ms: before its first event and between two events. A silent
   * stream is aborted and reported as a timeout (retried before any content reached the caller,
   * `StreamInterruptedError` after). Default 60000: the API sends events, pings included, far
   * more often than that on a live connection. Checked every idle period, so a silent stream is
   * stopped after one to two of them.
   */
  idleTimeoutMs?: number;
  /** Time allowed for the whole call including retries and waits, ms. Default: none. */
  totalTimeoutMs?: number;
  /** Circuit breaker tuning (one breaker per model). */
  circuitBreaker?: CircuitBreakerOptions;
  /** Concurrency cap and client-side rate limiting. */
  rateLimit?: RateLimiterOptions;
  /**
   * Fallback chains: model -> the models to try, in order, when it is overloaded, failing or
   * open. When given, it replaces the routing table's chains (`{}` means no fallback at all).
   */
  fallbacks?: Record<string, string[]>;
}
