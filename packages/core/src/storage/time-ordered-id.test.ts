import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './time-ordered-id.ts';

describe('timeOrderedId', () => {
  it('is a version 7 UUID whose first 48 bits are the Unix milliseconds', () => {
    const now = Date.parse('2026-11-22T10:00:00.123Z');
    const id = timeOrderedId(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replaceAll('-', '').slice(0, 12), 16)).toBe(now);
  });

  it('sorts by time and never repeats', () => {
    const ids = Array.from({ length: 5000 }, (_, index) =>
      timeOrderedId(1_700_000_000_000 + index),
    );
    expect([...ids].sort()).toEqual(ids);
    const many = Array.from({ length: 20000 }, () => timeOrderedId());
    expect(new Set(many).size).toBe(many.length);
  });
});
