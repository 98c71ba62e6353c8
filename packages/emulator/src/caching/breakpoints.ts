import { invalidRequest } from '../http/api-error.ts';
import type { PromptLayout } from '../messages/prompt-layout.ts';
import type { CacheControl } from '../messages/request-schema.ts';

/** The most cache breakpoints a request may carry, automatic one included. */
const maxBreakpoints = 4;

/** A place in the prompt where a prefix is cached. */
export interface Breakpoint {
  /** Index of the block in the layout. */
  position: number;
  /** Lifetime of the entry written there. */
  ttl: '5m' | '1h';
  /** Whether it came from the top-level (automatic) `cache_control`. */
  automatic: boolean;
}

/**
 * The request's cache breakpoints in prefix order: every explicit `cache_control`, plus the
 * top-level automatic one on the last block that can hold it (walking back over thinking blocks and
 * empty text). Refuses what the API refuses: more than four, a 1h breakpoint after a 5m one, a
 * marker on a block that cannot be cached, an automatic TTL that contradicts an explicit marker.
 */
export function resolveBreakpoints(
  layout: PromptLayout,
  topLevel: CacheControl | null | undefined,
): Breakpoint[] {
  const breakpoints: Breakpoint[] = [];
  layout.blocks.forEach((block, position) => {
    if (!block.cacheControl) return;
    if (!block.cacheable) {
      throw invalidRequest(
        `${block.path}.cache_control: cache_control cannot be set for this block`,
      );
    }
    breakpoints.push({ position, ttl: block.cacheControl.ttl ?? '5m', automatic: false });
  });

  if (topLevel) {
    const ttl = topLevel.ttl ?? '5m';
    let position = layout.blocks.length - 1;
    while (position >= 0 && !layout.blocks[position]!.cacheable) position--;
    if (position >= 0) {
      const explicit = breakpoints.find((breakpoint) => breakpoint.position === position);
      if (explicit && explicit.ttl !== ttl) {
        throw invalidRequest(
          `cache_control: the last cacheable block (${layout.blocks[position]!.path}) already has cache_control with ttl "${explicit.ttl}", which differs from the top-level ttl "${ttl}"`,
        );
      }
      if (!explicit) breakpoints.push({ position, ttl, automatic: true });
    }
  }

  if (breakpoints.length > maxBreakpoints) {
    throw invalidRequest(
      `A maximum of ${maxBreakpoints} blocks with cache_control may be provided. Found ${breakpoints.length}.`,
    );
  }
  let seenShort = false;
  for (const breakpoint of breakpoints) {
    if (breakpoint.ttl === '5m') seenShort = true;
    else if (seenShort) {
      throw invalidRequest(
        `${layout.blocks[breakpoint.position]!.path}.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: \`tools\`, \`system\`, \`messages\`.`,
      );
    }
  }
  return breakpoints;
}
