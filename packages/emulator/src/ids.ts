import { randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHIJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Generates ids in the shape the real API uses (`msg_01…`, `toolu_01…`, `req_01…`). */
export interface IdGenerator {
  next(prefix: 'msg' | 'toolu' | 'req' | 'msgbatch' | 'srvtoolu'): string;
}

/** Random ids from the OS generator, 24 base-58-like characters after `<prefix>_01`. */
export function randomIdGenerator(): IdGenerator {
  return {
    next(prefix) {
      const bytes = randomBytes(24);
      let body = '';
      for (const byte of bytes) body += alphabet[byte % alphabet.length];
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
