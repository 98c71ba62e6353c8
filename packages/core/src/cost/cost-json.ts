import type { CostResult } from './cost-result.ts';

/** A `CostResult` with every `bigint` picodollar amount as decimal text. */
export type CostJson = ReplaceBigInt<CostResult>;

type ReplaceBigInt<T> = T extends bigint
  ? string
  : T extends object
    ? { [K in keyof T]: ReplaceBigInt<T[K]> }
    : T;

/**
 * A JSON-safe copy of a cost: `JSON.stringify` throws on `bigint`, so picodollar amounts become
 * decimal integer text (`"15525000000"`). Use it for logs and HTTP responses.
 */
export function costToJson(cost: CostResult): CostJson {
  return JSON.parse(
    JSON.stringify(cost, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    ),
  ) as CostJson;
}
