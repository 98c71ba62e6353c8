import { ValidationError } from '@keel/errors';

/**
 * Keel counts money in integer picodollars (1e-12 USD) held in a `bigint`. Prices are published
 * in USD per million tokens with at most a few decimals, so a per-token rate in picodollars is
 * `price × 1e6` and stays an integer even after the 1.25×, 2×, 0.1×, 0.5× and 1.1× multipliers
 * stack. Sums of integers are exact; floats are only produced for display.
 */
export const PICO_USD_PER_USD = 1_000_000_000_000n;

const decimalPattern = /^(-)?(\d+)(?:\.(\d+))?$/;

/** An exact decimal: `mantissa × 10^-scale`. */
export interface ExactDecimal {
  /** The digits as an integer. */
  mantissa: bigint;
  /** How many of those digits sit after the decimal point. */
  scale: number;
}

/**
 * Reads a number or decimal string exactly. A JS number is read through its shortest round-trip
 * text (`0.1` is read as one tenth, not as the nearest binary double).
 */
export function parseExactDecimal(value: number | string, source = 'decimal'): ExactDecimal {
  let text = typeof value === 'number' ? numberToPlainText(value) : value.trim();
  const match = decimalPattern.exec(text);
  if (!match)
    throw new ValidationError(source, [`"${String(value)}" is not a plain decimal number`]);
  const [, sign, whole, fraction = ''] = match;
  text = `${whole}${fraction}`;
  const mantissa = BigInt(text) * (sign ? -1n : 1n);
  return { mantissa, scale: fraction.length };
}

function numberToPlainText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // Exponent notation (1e-7, 2.5e21): expand it without going through binary arithmetic.
  const [coefficient = '', exponentText = '0'] = text.toLowerCase().split('e');
  const exponent = Number(exponentText);
  const negative = coefficient.startsWith('-');
  const [whole = '', fraction = ''] = coefficient.replace('-', '').split('.');
  const digits = whole + fraction;
  const point = whole.length + exponent;
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + plain;
}

/** `value × 10^shift` as an integer, or undefined when the result has a fractional part. */
export function scaleToInteger(value: ExactDecimal, shift: number): bigint | undefined {
  const exponent = shift - value.scale;
  if (exponent >= 0) return value.mantissa * 10n ** BigInt(exponent);
  const divisor = 10n ** BigInt(-exponent);
  return value.mantissa % divisor === 0n ? value.mantissa / divisor : undefined;
}

/** Converts a USD amount (number or decimal string) to exact picodollars; rejects finer amounts. */
export function picoUsdFromUsd(usd: number | string, source = 'USD amount'): bigint {
  const pico = scaleToInteger(parseExactDecimal(usd, source), 12);
  if (pico === undefined) {
    throw new ValidationError(source, [`${String(usd)} USD is finer than one picodollar`]);
  }
  return pico;
}

/** Exact decimal USD text for a picodollar amount, without trailing zeros: `3437500n` → "0.0000034375". */
export function formatPicoUsd(picoUsd: bigint): string {
  const negative = picoUsd < 0n;
  const magnitude = negative ? -picoUsd : picoUsd;
  const whole = magnitude / PICO_USD_PER_USD;
  const fraction = (magnitude % PICO_USD_PER_USD).toString().padStart(12, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** A float USD value for display and metrics; use the picodollar integer for arithmetic. */
export function picoUsdToUsd(picoUsd: bigint): number {
  return Number(formatPicoUsd(picoUsd));
}

/**
 * `formatPicoUsd` for an amount held as a JS number, which must be a safe integer (below 2^53
 * picodollars, about $9,007). Integer `%` and exact division keep every digit.
 */
export function formatSafePicoUsd(picoUsd: number): string {
  if (!Number.isSafeInteger(picoUsd)) {
    throw new RangeError(`${picoUsd} is not a safe integer number of picodollars`);
  }
  const negative = picoUsd < 0;
  const magnitude = negative ? -picoUsd : picoUsd;
  const fraction = magnitude % 1e12;
  const whole = (magnitude - fraction) / 1e12;
  const sign = negative ? '-' : '';
  if (fraction === 0) return `${sign}${whole}`;
  let digits = String(fraction).padStart(12, '0');
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  return `${sign}${whole}.${digits}`;
}
