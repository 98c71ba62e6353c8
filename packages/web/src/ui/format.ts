/** Display formats for money, tokens and ratios. */

/** USD with enough digits for fractions of a cent. */
export function formatUsd(value: number): string {
  if (value === 0) return '$0.00';
  if (value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(value < 10 ? 3 : 2)}`;
}

/** A token count with thousands separators. */
export function formatTokens(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A 0..1 ratio as a whole percent. */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}
