import { z } from 'zod';
import { refusalCategories } from '../messages/response-types.ts';
import type { Scenario, ScenarioBlock, ScenarioReply } from './scenario.ts';

/** Validates a regular expression given as `source` or `/source/flags`. */
export function scenarioRegExp(pattern: string): RegExp {
  const literal = pattern.match(/^\/(.+)\/([dgimsuvy]*)$/s);
  return literal ? new RegExp(literal[1]!, literal[2]) : new RegExp(pattern);
}

const regExpSource = z.string().refine((source) => {
  try {
    scenarioRegExp(source);
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

/**
 * The opaque blob of a scripted `redacted_thinking` block that gives none. Real blobs are
 * encrypted base64 (../shared/wire/redacted_thought.sse.stream.jsonl); this one only looks alike.
 */
const defaultRedactedData = Buffer.from(
  'keel-emulator: redacted thinking, nothing to decrypt',
).toString('base64');

const blockSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('text'),
    text: z.string(),
    citations: z.array(z.unknown()).optional(),
  }),
  z.strictObject({ type: z.literal('thinking'), thinking: z.string() }),
  z.strictObject({
    type: z.literal('redacted_thinking'),
    data: z.string().min(1).default(defaultRedactedData),
  }),
  z.strictObject({
    type: z.literal('tool_use'),
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be a valid tool name'),
    input: z.record(z.string(), z.unknown()).optional(),
    id: z.string().min(1).optional(),
  }),
]) satisfies z.ZodType<ScenarioBlock>;

const replySchema = z
  .strictObject({
    /** Blocks, or a string as shorthand for one text block. */
    content: z.preprocess(
      (content) => (typeof content === 'string' ? [{ type: 'text', text: content }] : content),
      z.array(blockSchema).min(1),
    ),
    stop_reason: z.enum(['end_turn', 'tool_use', 'pause_turn', 'refusal']).optional(),
    /** The SDK's `RefusalStopDetails` without its `type` (always `refusal`). */
    stop_details: z
      .strictObject({
        type: z.literal('refusal').optional(),
        category: z.enum(refusalCategories).nullable().optional(),
        explanation: z.string().nullable().optional(),
      })
      .transform(({ type: _type, ...details }) => details)
      .optional(),
  })
  .refine((reply) => reply.stop_details === undefined || reply.stop_reason === 'refusal', {
    error: 'stop_details is only for stop_reason: refusal',
    path: ['stop_details'],
  }) satisfies z.ZodType<ScenarioReply, unknown>;

/** One scenario as written in a file or sent to the admin API (string content allowed). */
export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  match: z
    .strictObject({
      userContains: z.array(z.string()).optional(),
      userMatches: regExpSource.optional(),
      systemContains: z.string().optional(),
      model: z.string().optional(),
      afterToolResult: z.boolean().optional(),
      hasTool: z.string().optional(),
    })
    .optional(),
  forcedOnly: z.boolean().optional(),
  replies: z.array(replySchema).min(1),
}) satisfies z.ZodType<Scenario, unknown>;
