import { KeelError } from '@keel/errors';

/** Reads an integer column as `bigint` whatever the engine returned (number, bigint, numeric text). */
export function sqlBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new KeelError(
    'storage_bad_value',
    `Expected an integer from the database, got ${String(value)}`,
    {
      value: String(value),
    },
  );
}

/** Like `sqlBigInt`, but null stays null. */
export function sqlBigIntOrNull(value: unknown): bigint | null {
  return value === null || value === undefined ? null : sqlBigInt(value);
}

/** Reads a numeric column as a JS number. */
export function sqlNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  throw new KeelError(
    'storage_bad_value',
    `Expected a number from the database, got ${String(value)}`,
    {
      value: String(value),
    },
  );
}

/** Like `sqlNumber`, but null stays null. */
export function sqlNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : sqlNumber(value);
}

/** Reads a 0/1 flag column. */
export function sqlBoolean(value: unknown): boolean {
  return sqlNumber(value) !== 0;
}

/** Reads a text column that may be null. */
export function sqlStringOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
