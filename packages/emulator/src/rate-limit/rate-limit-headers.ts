/** The three headers the API sends for each limit: `…-limit`, `…-remaining`, `…-reset`. */
export interface LimitSnapshot {
  /** The configured limit per minute. */
  limit: number;
  /** What is left now (whole tokens or requests, never negative). */
  remaining: number;
  /** When the bucket will be full again, epoch ms. */
  resetAt: number;
}

/** The real API reports token counts rounded to the nearest thousand; requests are exact. */
function roundTokens(value: number): number {
  return Math.round(value / 1000) * 1000;
}

/** RFC 3339 without milliseconds, as the API writes it (`2026-03-01T12:00:05Z`). */
function rfc3339(epochMs: number): string {
  return new Date(Math.ceil(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Builds the `anthropic-ratelimit-<name>-{limit,remaining,reset}` header triple. */
export function limitHeaders(
  name: 'requests' | 'tokens' | 'input-tokens' | 'output-tokens',
  snapshot: LimitSnapshot,
): Record<string, string> {
  const remaining = Math.max(0, Math.floor(snapshot.remaining));
  return {
    [`anthropic-ratelimit-${name}-limit`]: String(snapshot.limit),
    [`anthropic-ratelimit-${name}-remaining`]: String(
      name === 'requests' ? remaining : roundTokens(remaining),
    ),
    [`anthropic-ratelimit-${name}-reset`]: rfc3339(snapshot.resetAt),
  };
}
