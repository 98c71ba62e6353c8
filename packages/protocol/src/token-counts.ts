/**
 * The API's token counts of one or more calls, summed, as the building blocks return them (agent
 * runs, structured output, knowledge answers). Core's `TokenUsage` is the richer per-call shape
 * (cache writes by TTL, hit ratio, partial) the client, ledger and logs use; `TokenCounts` is
 * what a caller of any `MessagesCaller` can add up from `message.usage`.
 */
export interface TokenCounts {
  /** Uncached input tokens. */
  inputTokens: number;
  /** Output tokens, thinking included. */
  outputTokens: number;
  /** Tokens written to the prompt cache. */
  cacheCreationInputTokens: number;
  /** Tokens read from the prompt cache. */
  cacheReadInputTokens: number;
}
