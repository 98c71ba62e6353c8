import { createHash } from 'node:crypto';

const cache = new Map<string, string>();
const cacheLimit = 256;

/**
 * A short, stable fingerprint of an API key (`sha256:<12 hex>`), so the log can tell keys apart
 * without ever holding one. Memoised because the same few keys arrive on every request.
 */
export function hashApiKey(key: string): string {
  let hash = cache.get(key);
  if (hash === undefined) {
    hash = `sha256:${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
    if (cache.size >= cacheLimit) cache.clear();
    cache.set(key, hash);
  }
  return hash;
}
