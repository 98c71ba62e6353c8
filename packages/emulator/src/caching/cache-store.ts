/** One stored prefix. */
export interface CacheEntry {
  /** Tokens in the cached prefix (everything up to and including its breakpoint). */
  tokens: number;
  /** The entry's lifetime, renewed on every hit, ms. */
  ttlMs: number;
  /** Epoch ms after which the entry is gone. */
  expiresAt: number;
}

/**
 * Cache entries per API key, keyed by the prefix hash. Memory is bounded: expired entries are
 * dropped as they are met and swept when the store is full, then the least recently used go.
 */
export class CacheStore {
  readonly #entries = new Map<string, CacheEntry>();

  constructor(
    /** The most entries kept across all keys. */
    readonly maxEntries = 50_000,
  ) {}

  /** Number of live-or-not-yet-swept entries. */
  get size(): number {
    return this.#entries.size;
  }

  /** The live entry for a prefix, or undefined. */
  get(apiKey: string, hash: string, now: number): CacheEntry | undefined {
    const key = `${apiKey}\u0000${hash}`;
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Renews a hit entry's lifetime from `now` and marks it recently used. */
  refresh(apiKey: string, hash: string, now: number): void {
    const key = `${apiKey}\u0000${hash}`;
    const entry = this.#entries.get(key);
    if (!entry) return;
    entry.expiresAt = Math.max(entry.expiresAt, now + entry.ttlMs);
    this.#entries.delete(key);
    this.#entries.set(key, entry);
  }

  /** Stores (or extends) an entry; an existing one keeps the longer of the two lifetimes. */
  put(apiKey: string, hash: string, tokens: number, ttlMs: number, now: number): void {
    const key = `${apiKey}\u0000${hash}`;
    const existing = this.#entries.get(key);
    const entry: CacheEntry = {
      tokens,
      ttlMs: Math.max(ttlMs, existing && existing.expiresAt > now ? existing.ttlMs : 0),
      expiresAt: Math.max(now + ttlMs, existing?.expiresAt ?? 0),
    };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.maxEntries) this.#evict(now);
  }

  /** Drops everything. */
  clear(): void {
    this.#entries.clear();
  }

  #evict(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    // Map order is insertion order and hits re-insert, so the first keys are least recently used.
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(key);
    }
  }
}
