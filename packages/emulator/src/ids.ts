import { randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHIJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Generates ids in the shape the real API uses (`msg_01…`, `toolu_01…`, `req_01…`). */
export interface IdGenerator {
  next(prefix: 'msg' | 'toolu' | 'req' | 'msgbatch' | 'srvtoolu'): string;
}

const idLength = 24;
/** Random bytes are drawn from the OS in blocks: one system call per ~170 ids, not per id. */
const poolSize = idLength * 171;

/** Random ids from the OS generator, 24 base-58-like characters after `<prefix>_01`. */
export function randomIdGenerator(): IdGenerator {
  let pool = randomBytes(poolSize);
  let offset = 0;
  return {
    next(prefix) {
      if (offset + idLength > pool.length) {
        pool = randomBytes(poolSize);
        offset = 0;
      }
      let body = '';
      for (let i = offset; i < offset + idLength; i++) body += alphabet[pool[i]! % alphabet.length];
      offset += idLength;
      return `${prefix}_01${body}`;
    },
  };
}

/** Sequential ids for deterministic tests: `msg_01…0001`, `msg_01…0002`, … */
export function sequentialIdGenerator(): IdGenerator {
  const counters = new Map<string, number>();
  return {
    next(prefix) {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${prefix}_01${String(n).padStart(24, '0')}`;
    },
  };
}
