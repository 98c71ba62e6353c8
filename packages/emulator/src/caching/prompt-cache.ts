import type { Clock } from '../clock.ts';
import type { PromptLayout } from '../messages/prompt-layout.ts';
import type { Breakpoint } from './breakpoints.ts';
import { CacheStore } from './cache-store.ts';

/** Lifetimes of the two cache TTLs, ms. */
const ttlMs = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

/** How far back from each breakpoint the cache looks for an earlier entry, in blocks. */
const lookbackBlocks = 20;

/** The input side of a request's usage, split the way the API reports it. */
export interface CacheUsage {
  /** Tokens after the last cache breakpoint (or all, without caching). */
  inputTokens: number;
  /** Tokens read from the cache. */
  cacheReadInputTokens: number;
  /** Tokens written with a 5-minute lifetime. */
  cacheWrite5mTokens: number;
  /** Tokens written with a 1-hour lifetime. */
  cacheWrite1hTokens: number;
}

/** The cache outcome of one request, before its writes are made. */
export interface CachePlan {
  /** The usage figures to report. */
  usage: CacheUsage;
  /** Stores the written prefixes and refreshes the one read; call once the response begins. */
  commit(): void;
}

/** What planning needs. */
export interface CachePlanOptions {
  /** Entries are per API key. */
  apiKey: string;
  /** The request's prompt layout. */
  layout: PromptLayout;
  /** Its resolved breakpoints. */
  breakpoints: Breakpoint[];
  /** The model's minimum cacheable prefix length, tokens. */
  minCacheableTokens: number;
}

/**
 * The emulator's prompt cache: stored prefixes per API key with 5-minute or 1-hour lifetimes read
 * from the emulator clock (tests advance the clock instead of waiting). Accounting follows the
 * real rules: a hit is looked for up to 20 blocks back from each breakpoint; with A the prefix
 * read, B the last 1h breakpoint after A (else A) and C the last breakpoint, A is read, B − A is
 * written for 1 hour, C − B for 5 minutes, and the rest after max(A, C) is plain input. Prefixes
 * shorter than the model's minimum are not cached at all.
 */
export class PromptCache {
  readonly store: CacheStore;

  constructor(
    readonly clock: Clock,
    /** The most entries kept across all keys. */
    maxEntries?: number,
  ) {
    this.store = new CacheStore(maxEntries);
  }

  /** Works out what a request reads and writes, without changing the cache yet. */
  plan(options: CachePlanOptions): CachePlan {
    const { apiKey, layout, minCacheableTokens } = options;
    const now = this.clock.now();
    const total = layout.totalTokens;
    const breakpoints = options.breakpoints.filter(
      (breakpoint) => layout.blocks[breakpoint.position]!.prefixTokens >= minCacheableTokens,
    );
    if (breakpoints.length === 0) {
      return {
        usage: {
          inputTokens: total,
          cacheReadInputTokens: 0,
          cacheWrite5mTokens: 0,
          cacheWrite1hTokens: 0,
        },
        commit: () => {},
      };
    }

    let hitPosition = -1;
    for (const breakpoint of breakpoints) {
      const floor = Math.max(0, breakpoint.position - lookbackBlocks + 1);
      for (let position = breakpoint.position; position >= floor; position--) {
        if (position <= hitPosition) break;
        if (this.store.get(apiKey, layout.blocks[position]!.prefixHash, now)) {
          hitPosition = position;
          break;
        }
      }
    }
    const tokensAt = (position: number) =>
      position < 0 ? 0 : layout.blocks[position]!.prefixTokens;
    const a = tokensAt(hitPosition);
    const lastHour = breakpoints.filter(
      (breakpoint) => breakpoint.ttl === '1h' && breakpoint.position > hitPosition,
    );
    const b = lastHour.length > 0 ? tokensAt(lastHour.at(-1)!.position) : a;
    const c = tokensAt(breakpoints.at(-1)!.position);

    const usage: CacheUsage = {
      inputTokens: total - Math.max(a, c),
      cacheReadInputTokens: a,
      cacheWrite1hTokens: Math.max(0, b - a),
      cacheWrite5mTokens: Math.max(0, c - Math.max(a, b)),
    };
    let committed = false;
    return {
      usage,
      commit: () => {
        if (committed) return;
        committed = true;
        const at = this.clock.now();
        if (hitPosition >= 0)
          this.store.refresh(apiKey, layout.blocks[hitPosition]!.prefixHash, at);
        for (const breakpoint of breakpoints) {
          const block = layout.blocks[breakpoint.position]!;
          this.store.put(apiKey, block.prefixHash, block.prefixTokens, ttlMs[breakpoint.ttl], at);
        }
      },
    };
  }

  /** Forgets every cached prefix. */
  clear(): void {
    this.store.clear();
  }
}
