/** The default longest silence of one attempt: before the response headers, then between stream events. */
export const defaultIdleTimeoutMs = 60_000;

/** The SDK's cap on a non-streaming request (it refuses to wait longer; longer calls must stream). */
const maxNonStreamingMs = 10 * 60 * 1000;

/**
 * The per-attempt timeout handed to the SDK, whose timer covers the wait for the response
 * headers only (never the body). A stream sends its headers at once, so it gets the idle
 * limit; its body is watched by `StreamIdleTimer`. A non-streaming response arrives whole, after
 * the model has written all of it, so it gets the idle limit plus the time the SDK itself
 * expects `max_tokens` to take (an hour per 128k tokens), at most the SDK's 10 minutes. The
 * old default, 10 minutes for every attempt, let one stalled stream hold a turn for 10 minutes.
 */
export function attemptTimeoutMs(options: {
  stream: boolean;
  maxTokens: number;
  idleTimeoutMs: number;
}): number {
  if (options.stream) return options.idleTimeoutMs;
  const expected = Math.ceil((60 * 60 * 1000 * options.maxTokens) / 128_000);
  return Math.min(maxNonStreamingMs, options.idleTimeoutMs + expected);
}
