/**
 * How a failed Claude API attempt is classified: the retry, fallback and breaker logic in core
 * decide on it, and a `ClaudeApiError`'s code is `claude_<kind>`. Lives here, in the leaf, so that
 * the code union below can be spelled from it.
 */
export const claudeFailureKinds = [
  /** 429 rate_limit_error. */
  'rate_limited',
  /** 529, or an `overloaded_error` event inside a 200 stream. */
  'overloaded',
  /** Any other 5xx, or an `api_error` event inside a stream. */
  'server_error',
  /** 408 from the server. */
  'request_timeout',
  /** 409 conflict. */
  'conflict',
  /** The client-side per-attempt timeout fired. */
  'timeout',
  /** The connection failed or dropped (before or during the response). */
  'connection',
  /** The caller aborted. */
  'aborted',
  /** Any other 4xx: the request itself is wrong, retrying cannot help. */
  'client_error',
  /** Not an API failure (a bug, an unexpected exception). */
  'unknown',
] as const;

/** What went wrong on one attempt, in the terms the retry, fallback and breaker logic need. */
export type ClaudeFailureKind = (typeof claudeFailureKinds)[number];

/** The code of a `ClaudeApiError` of the given kind. */
export type ClaudeErrorCode = `claude_${ClaudeFailureKind}`;
