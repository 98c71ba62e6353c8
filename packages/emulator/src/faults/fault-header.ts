import type { FaultRule, FaultType } from '../emulator-options.ts';
import { invalidRequest } from '../http/api-error.ts';
import { faultTypes } from './fault-types.ts';

/** The request header that forces one fault for that request. */
export const faultHeader = 'x-keel-fault';

/** Parameter names accepted after the type, mapped to the rule field they set. */
const parameters = {
  retry_after: 'retryAfterSeconds',
  after_tokens: 'afterTokens',
  delay_ms: 'delayMs',
} as const satisfies Record<string, keyof FaultRule>;

/**
 * Parses an `x-keel-fault` value such as `rate_limit; retry_after=2` or
 * `stream_error; after_tokens=5` into a one-off rule. A malformed value is a 400, so a typo in a
 * chaos test fails loudly instead of silently testing the happy path.
 */
export function parseFaultHeader(value: string): FaultRule {
  const [head = '', ...rest] = value.split(';').map((part) => part.trim());
  if (!(faultTypes as readonly string[]).includes(head)) {
    throw invalidRequest(
      `${faultHeader}: unknown fault "${head}"; expected one of ${faultTypes.join(', ')}`,
    );
  }
  const rule: FaultRule = { type: head as FaultType };
  for (const part of rest) {
    if (part === '') continue;
    const [name = '', raw = ''] = part.split('=').map((piece) => piece.trim());
    const field = Object.hasOwn(parameters, name)
      ? parameters[name as keyof typeof parameters]
      : undefined;
    const number = Number(raw);
    if (!field || raw === '' || !Number.isFinite(number) || number < 0) {
      throw invalidRequest(
        `${faultHeader}: bad parameter "${part}"; expected retry_after=<s>, after_tokens=<n> or delay_ms=<ms>`,
      );
    }
    rule[field] = number;
  }
  return rule;
}
