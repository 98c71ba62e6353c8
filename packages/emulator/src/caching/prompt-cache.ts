import type { Clock } from '../clock.ts';
import { CacheStore } from './cache-store.ts';

/**
 * The emulator's prompt cache: stored prefixes per API key with 5-minute or 1-hour lifetimes read
 * from the emulator clock, so tests advance the clock instead of waiting.
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

  /** Forgets every cached prefix. */
  clear(): void {
    this.store.clear();
  }
}
