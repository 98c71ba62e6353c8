import { ValidationError } from '@keel/errors';
import { describe, expect, it } from 'vitest';
import { formatPicoUsd, formatSafePicoUsd, parseExactDecimal, picoUsdFromUsd } from './pico-usd.ts';

describe('picodollar money', () => {
  it('reads numbers through their decimal text, not their binary value', () => {
    expect(parseExactDecimal(0.1)).toEqual({ mantissa: 1n, scale: 1 });
    expect(parseExactDecimal(1.1)).toEqual({ mantissa: 11n, scale: 1 });
    expect(parseExactDecimal(1e-7)).toEqual({ mantissa: 1n, scale: 7 });
    expect(parseExactDecimal(2.5e21)).toEqual({
      mantissa: 2_500_000_000_000_000_000_000n,
      scale: 0,
    });
    expect(parseExactDecimal('-3.50')).toEqual({ mantissa: -350n, scale: 2 });
  });

  it('converts USD amounts to picodollars exactly', () => {
    expect(picoUsdFromUsd(0.1)).toBe(100_000_000_000n);
    expect(picoUsdFromUsd('12.345678901234')).toBe(12_345_678_901_234n);
    expect(() => picoUsdFromUsd('0.0000000000001')).toThrow(ValidationError);
    expect(() => picoUsdFromUsd('ten')).toThrow(ValidationError);
  });

  it('formats picodollars as exact decimal USD text', () => {
    expect(formatPicoUsd(0n)).toBe('0');
    expect(formatPicoUsd(3_437_500n)).toBe('0.0000034375');
    expect(formatPicoUsd(1_500_000_000_000n)).toBe('1.5');
    expect(formatPicoUsd(-20_000_000_000n)).toBe('-0.02');
  });

  it('formats safe-integer picodollars exactly as the bigint formatter does', () => {
    const samples = [
      0,
      1,
      999_999_999_999,
      1_000_000_000_000,
      1_000_000_000_001,
      3_437_500,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER - 1,
      -20_000_000_000,
    ];
    let seed = 7;
    for (let index = 0; index < 2000; index++) {
      seed = (seed * 48271) % 2147483647;
      samples.push(Math.floor((seed / 2147483647) * Number.MAX_SAFE_INTEGER));
      samples.push(seed * 1000);
    }
    for (const value of samples) {
      const text = formatPicoUsd(BigInt(value));
      expect(formatSafePicoUsd(value)).toBe(text);
      // The float a caller gets is the one the exact text denotes.
      expect(value / 1e12).toBe(Number(text));
    }
    expect(() => formatSafePicoUsd(2 ** 53)).toThrow(RangeError);
    expect(() => formatSafePicoUsd(0.5)).toThrow(RangeError);
  });
});
