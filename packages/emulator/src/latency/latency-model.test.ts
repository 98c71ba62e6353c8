import { describe, expect, it } from 'vitest';
import { LatencyModel, latencyPresets } from './latency-model.ts';
import { sleep } from './sleep.ts';

describe('LatencyModel', () => {
  it('is instant by default', () => {
    const model = new LatencyModel(undefined);
    expect(model.isInstant).toBe(true);
    expect(model.totalMs(1_000)).toBe(0);
  });

  it('resolves presets and explicit figures', () => {
    expect(new LatencyModel('fast').totalMs(200)).toBe(150 + 1_000);
    expect(new LatencyModel('realistic').outputDelayMs(60)).toBe(1_000);
    const custom = new LatencyModel({ timeToFirstTokenMs: 10, outputTokensPerSecond: 100 });
    expect(custom.totalMs(50)).toBe(510);
    expect(latencyPresets.realistic.timeToFirstTokenMs).toBeGreaterThan(
      latencyPresets.fast.timeToFirstTokenMs,
    );
  });

  it('refuses an unknown preset name', () => {
    expect(() => new LatencyModel('glacial' as 'fast')).toThrow(RangeError);
  });
});

describe('sleep', () => {
  it('ends early when aborted and reports it', async () => {
    const abort = new AbortController();
    const pending = sleep(60_000, abort.signal);
    abort.abort();
    await expect(pending).resolves.toBe(false);
    await expect(sleep(0)).resolves.toBe(true);
  });
});
