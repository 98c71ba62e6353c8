import { z } from 'zod';
import type { FaultRule, RateLimitOptions } from '../emulator-options.ts';
import { faultTypes } from '../faults/fault-types.ts';

/** `PUT /_emulator/faults`: the complete list of rules, replacing the current ones. */
export const faultRulesSchema = z.array(
  z.strictObject({
    type: z.enum(faultTypes),
    rate: z.number().min(0).max(1).optional(),
    count: z.number().int().min(0).optional(),
    skip: z.number().int().min(0).optional(),
    path: z.string().startsWith('/').optional(),
    delayMs: z.number().min(0).optional(),
    afterTokens: z.number().int().min(0).optional(),
    retryAfterSeconds: z.number().min(0).optional(),
  }),
) satisfies z.ZodType<FaultRule[]>;

const perMinute = z.number().int().positive().optional();

/** `PUT /_emulator/rate-limits`: per-key limits; an omitted field is unlimited, `{}` lifts all. */
export const rateLimitsSchema = z.strictObject({
  requestsPerMinute: perMinute,
  inputTokensPerMinute: perMinute,
  outputTokensPerMinute: perMinute,
}) satisfies z.ZodType<RateLimitOptions>;

/** `POST /_emulator/clock/advance`. */
export const clockAdvanceSchema = z.strictObject({
  /** Milliseconds to move the clock forward. */
  ms: z
    .number()
    .int()
    .min(0)
    .max(10 * 365 * 24 * 60 * 60 * 1000),
});
