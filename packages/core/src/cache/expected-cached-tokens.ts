import { previousRequestEndFromLast, type AssembledRequest } from './assemble-request.ts';
import type { CacheBreak } from './cache-break-detector.ts';

/** Options of {@link expectedCachedTokens}. */
export interface ExpectedCachedTokensOptions {
  /** This turn's request. */
  assembled: Pick<AssembledRequest, 'breakpoints' | 'messages'>;
  /** A stable layer that changed since the previous request, if one did. */
  cacheBreak: CacheBreak | undefined;
  /** Whether a previous request of this conversation was prepared. */
  hasPreviousRequest: boolean;
  /** Whether the history starts at the same message as in the previous request. */
  sameStart: boolean;
}

/**
 * Tokens this request should read from the prompt cache, to compare with the response's usage:
 * the whole previous request when nothing before its end changed, only the stable layers (tools,
 * system, pinned) when the history was trimmed further since, nothing after a cache break or on
 * the first request of a conversation.
 */
export function expectedCachedTokens(options: ExpectedCachedTokensOptions): number {
  const { assembled, cacheBreak } = options;
  if (cacheBreak || !options.hasPreviousRequest) return 0;
  const previousEnd = assembled.breakpoints.find(
    (breakpoint) =>
      breakpoint.position.part === 'messages' &&
      breakpoint.position.index === assembled.messages.length - previousRequestEndFromLast,
  );
  if (options.sameStart && previousEnd) return previousEnd.prefixTokens;
  const stable = assembled.breakpoints
    .filter((breakpoint) => breakpoint.layer !== 'history')
    .at(-1);
  return stable?.prefixTokens ?? 0;
}
