import { describe, expect, it } from 'vitest';
import { WarnOnce, type KeelWarning } from './keel-warning.ts';

const warning = (message: string): KeelWarning => ({
  code: 'sampling_parameters_dropped',
  message,
  details: {},
});

describe('WarnOnce', () => {
  it('tells its listener each key once, and survives a listener that throws', () => {
    const told: string[] = [];
    const once = new WarnOnce((given) => {
      told.push(given.message);
      throw new Error('listener bug');
    });
    once.warn('a', warning('first'));
    once.warn('a', warning('again'));
    once.warn('b', warning('second'));
    expect(told).toEqual(['first', 'second']);
  });

  it('without a listener, gives Node’s channel each key once per process', async () => {
    const seen: Error[] = [];
    const listener = (emitted: Error) => {
      if (emitted.name === 'KeelWarning') seen.push(emitted);
    };
    process.on('warning', listener);
    try {
      const key = `test:${Math.random()}`;
      new WarnOnce().warn(key, warning('told once'));
      new WarnOnce().warn(key, warning('told once'));
      // process warnings are emitted on the next tick
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen.map((emitted) => emitted.message)).toEqual(['told once']);
      expect((seen[0] as Error & { code?: string }).code).toBe('sampling_parameters_dropped');
    } finally {
      process.off('warning', listener);
    }
  });
});
