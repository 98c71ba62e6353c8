import type { LatencyOptions, LatencyPreset } from '../emulator-options.ts';

/** Named latency profiles; figures in the range of hosted models on a good day and a typical one. */
export const latencyPresets: Record<LatencyPreset, LatencyOptions> = {
  none: { timeToFirstTokenMs: 0, outputTokensPerSecond: 0 },
  fast: { timeToFirstTokenMs: 150, outputTokensPerSecond: 200 },
  realistic: { timeToFirstTokenMs: 600, outputTokensPerSecond: 60 },
};

/**
 * How long the emulated model takes: a time to first token, then a steady output speed. An output
 * speed of 0 means "instant" (no per-token wait), which is the default so tests run fast.
 */
export class LatencyModel {
  readonly timeToFirstTokenMs: number;
  readonly outputTokensPerSecond: number;

  constructor(options: LatencyPreset | LatencyOptions | undefined) {
    const resolved =
      typeof options === 'string' ? latencyPresets[options] : (options ?? latencyPresets.none);
    if (!resolved) throw new RangeError(`unknown latency preset "${String(options)}"`);
    this.timeToFirstTokenMs = Math.max(0, resolved.timeToFirstTokenMs);
    this.outputTokensPerSecond = Math.max(0, resolved.outputTokensPerSecond);
  }

  /** Whether any waiting happens at all. */
  get isInstant(): boolean {
    return this.timeToFirstTokenMs === 0 && this.outputTokensPerSecond === 0;
  }

  /** The wait for `tokens` output tokens after the first, ms. */
  outputDelayMs(tokens: number): number {
    return this.outputTokensPerSecond > 0 ? (tokens * 1000) / this.outputTokensPerSecond : 0;
  }

  /** The whole generation time of a non-streaming answer with `outputTokens` tokens, ms. */
  totalMs(outputTokens: number): number {
    return this.timeToFirstTokenMs + this.outputDelayMs(outputTokens);
  }
}
