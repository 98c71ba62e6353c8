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
let lastSecond = Number.NaN;
let lastText = '';

/** RFC 3339 at whole seconds; the last value is kept, since every response in a second shares it. */
function rfc3339(epochMs: number): string {
  const second = Math.ceil(epochMs / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = `${new Date(second * 1000).toISOString().slice(0, 19)}Z`;
  }
  return lastText;
}

type LimitName = 'requests' | 'tokens' | 'input-tokens' | 'output-tokens';

const names = (name: LimitName) =>
  [
    `anthropic-ratelimit-${name}-limit`,
    `anthropic-ratelimit-${name}-remaining`,
    `anthropic-ratelimit-${name}-reset`,
  ] as const;
const headerNames: Record<LimitName, readonly [string, string, string]> = {
  requests: names('requests'),
  tokens: names('tokens'),
  'input-tokens': names('input-tokens'),
  'output-tokens': names('output-tokens'),
};

/** Writes the `anthropic-ratelimit-<name>-{limit,remaining,reset}` header triple into `target`. */
export function setLimitHeaders(
  target: Record<string, string>,
  name: LimitName,
  snapshot: LimitSnapshot,
): void {
  const remaining = Math.max(0, Math.floor(snapshot.remaining));
  const [limitName, remainingName, resetName] = headerNames[name];
  target[limitName] = String(snapshot.limit);
  target[remainingName] = String(name === 'requests' ? remaining : roundTokens(remaining));
  target[resetName] = rfc3339(snapshot.resetAt);
}
