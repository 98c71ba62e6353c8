import { z } from 'zod';
import type { FaultRule, RateLimitOptions } from '../emulator-options.ts';
import type { Scenario } from '../responder/scenario.ts';

/** `PUT /_emulator/faults`: the complete list of rules, replacing the current ones. */
export const faultRulesSchema = z.array(
  z.strictObject({
    type: z.enum([
      'rate_limit',
      'api_error',
      'overloaded',
      'connection_reset',
      'slow_first_token',
      'stream_error',
      'stream_cut',
    ]),
    rate: z.number().min(0).max(1).optional(),
    count: z.number().int().min(0).optional(),
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

const scenarioBlockSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.string() }),
  z.strictObject({ type: z.literal('thinking'), thinking: z.string() }),
  z.strictObject({
    type: z.literal('tool_use'),
    name: z.string().min(1),
    input: z.record(z.string(), z.unknown()),
    id: z.string().min(1).optional(),
  }),
]);

/** `POST /_emulator/scenarios`: one scenario, in the same shape as a scenario file's entries. */
export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  match: z
    .strictObject({
      userContains: z.array(z.string()).optional(),
      userMatches: z
        .string()
        .refine((source) => {
          try {
            new RegExp(source);
            return true;
          } catch {
            return false;
          }
        }, 'userMatches must be a valid regular expression')
        .optional(),
      systemContains: z.string().optional(),
      model: z.string().optional(),
      afterToolResult: z.boolean().optional(),
      hasTool: z.string().optional(),
    })
    .optional(),
  replies: z
    .array(
      z.strictObject({
        content: z.array(scenarioBlockSchema).min(1),
        stop_reason: z.enum(['end_turn', 'tool_use', 'pause_turn', 'refusal']).optional(),
      }),
    )
    .min(1),
}) satisfies z.ZodType<Scenario>;
