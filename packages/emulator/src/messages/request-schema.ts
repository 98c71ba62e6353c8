import { z } from 'zod';
import { contextManagementSchema } from './context-management.ts';
import { describeFieldErrors } from './field-errors.ts';

/**
 * The Messages API request body, as the emulator validates it. Block objects are loose (unknown
 * keys pass) because clients legitimately send back response blocks with extra fields such as
 * `citations: null` or `caller`; the top level is strict, as the real API's is.
 */

const cacheControlSchema = z.strictObject({
  type: z.literal('ephemeral'),
  ttl: z.enum(['5m', '1h']).optional(),
  /**
   * Who may share the cached prefix (beta `prompt-caching-scope-2026-01-05`; validate-request
   * rejects it without the beta). The SDK's types do not list it: `global` is what Claude Code
   * sends (captured requests), `organization` what a proxy captured from it.
   */
  scope: z.enum(['global', 'organization']).optional(),
});

const cacheControl = cacheControlSchema.nullish();

const textBlockSchema = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControl,
  citations: z.array(z.unknown()).nullish(),
});

export const imageSourceSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('base64'),
    media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
    data: z.string(),
  }),
  z.looseObject({ type: z.literal('url'), url: z.string() }),
  z.looseObject({ type: z.literal('file'), file_id: z.string() }),
]);

const imageBlockSchema = z.looseObject({
  type: z.literal('image'),
  source: imageSourceSchema,
  cache_control: cacheControl,
});

export const documentSourceSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('base64'),
    media_type: z.literal('application/pdf'),
    data: z.string(),
  }),
  z.looseObject({ type: z.literal('text'), media_type: z.literal('text/plain'), data: z.string() }),
  z.looseObject({
    type: z.literal('content'),
    content: z.union([z.string(), z.array(z.union([textBlockSchema, imageBlockSchema]))]),
  }),
  z.looseObject({ type: z.literal('url'), url: z.string() }),
  z.looseObject({ type: z.literal('file'), file_id: z.string() }),
]);

const documentBlockSchema = z.looseObject({
  type: z.literal('document'),
  source: documentSourceSchema,
  title: z.string().nullish(),
  context: z.string().nullish(),
  citations: z.looseObject({ enabled: z.boolean().optional() }).nullish(),
  cache_control: cacheControl,
});

const searchResultBlockSchema = z.looseObject({
  type: z.literal('search_result'),
  source: z.string(),
  title: z.string(),
  content: z.array(textBlockSchema),
  citations: z.looseObject({ enabled: z.boolean().optional() }).nullish(),
  cache_control: cacheControl,
});

const toolUseBlockSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
});

export const toolResultBlockSchema = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z
    .union([
      z.string(),
      z.array(
        z.union([textBlockSchema, imageBlockSchema, documentBlockSchema, searchResultBlockSchema]),
      ),
    ])
    .optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});

const thinkingBlockSchema = z.looseObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string(),
});

const redactedThinkingBlockSchema = z.looseObject({
  type: z.literal('redacted_thinking'),
  data: z.string(),
});

export const contentBlockSchema = z.discriminatedUnion('type', [
  textBlockSchema,
  imageBlockSchema,
  documentBlockSchema,
  searchResultBlockSchema,
  toolUseBlockSchema,
  toolResultBlockSchema,
  thinkingBlockSchema,
  redactedThinkingBlockSchema,
]);

/**
 * `output_config` of a `role: "system"` message: a per-turn effort (betas
 * `mid-conversation-output-config-2026-07-01` or `per-turn-control-2026-07-01`, checked with the
 * other system-message rules in system-messages.ts; the SDK's BetaSystemMessageOutputConfig).
 */
const systemMessageOutputConfigSchema = z.strictObject({
  effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).nullish(),
});

/**
 * A message of the conversation. `role: "system"` is a mid-conversation system message (the SDK's
 * SystemMessageParam / BetaSystemMessageParam); its own fields (`output_config`, `clear_at`) and
 * placement are checked in system-messages.ts, which refuses them on other roles.
 */
export const messageParamSchema = z.strictObject({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(contentBlockSchema)]),
  output_config: systemMessageOutputConfigSchema.nullish(),
  /** Beta `mid-conversation-system-clear-at-2026-08-21`. */
  clear_at: z.enum(['next_user_message', 'never']).nullish(),
});

export const toolSchema = z.looseObject({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool name must match ^[a-zA-Z0-9_-]{1,64}$'),
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal('object') }),
  // Anthropic-defined tools (server tools, bash, computer...) are refused earlier with a clear
  // "not supported by the Keel emulator" (surface/reject-unsupported.ts); any other type is invalid.
  type: z.literal('custom').nullish(),
  strict: z.boolean().optional(),
  cache_control: cacheControl,
});

export const toolChoiceSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({
    type: z.literal('tool'),
    name: z.string(),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('none') }),
]);

/**
 * `thinking.display`; `updates` exists under the `thinking-display-updates-2026-08-18` beta (the
 * SDK's beta ThinkingConfig types; checked in validate-request.ts): "readable progress updates
 * between tool calls (display: "updates", beta)"
 * (https://platform.claude.com/docs/en/models/fable-5-1/whats-new-fable-5-1); only those updates
 * come back as text, the reasoning stays hidden (third-party: docs.rs/vtcode-config
 * ThinkingDisplayMode::Updates).
 */
const thinkingDisplaySchema = z.enum(['summarized', 'omitted', 'updates']);

export const thinkingConfigSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('enabled'),
    budget_tokens: z.number().int(),
    display: thinkingDisplaySchema.nullish(),
  }),
  z.strictObject({ type: z.literal('disabled') }),
  z.strictObject({
    type: z.literal('adaptive'),
    display: thinkingDisplaySchema.nullish(),
  }),
  // Claude Sonnet 5.5's lowest setting: no up-front thinking, progress updates between tool calls
  // still come back as thinking blocks (the SDK's ThinkingConfigBetweenTools; validate-request.ts
  // says which models take it).
  z.strictObject({ type: z.literal('between_tools') }),
]);

const outputConfigSchema = z.strictObject({
  effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).nullish(),
  format: z
    .strictObject({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) })
    .nullish(),
});

const countTokensFields = {
  model: z.string().min(1),
  messages: z.array(messageParamSchema).max(100_000),
  system: z.union([z.string(), z.array(textBlockSchema)]).optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  thinking: thinkingConfigSchema.optional(),
  output_config: outputConfigSchema.optional(),
  cache_control: cacheControl,
  /** Beta `context-management-2025-06-27`; checked and applied by context-management.ts. */
  context_management: contextManagementSchema.nullish(),
  /** The SDK's `MessageCountTokensParams` has it too (count_tokens takes it and ignores it). */
  speed: z.enum(['standard', 'fast']).nullish(),
};

export const countTokensRequestSchema = z.strictObject(countTokensFields);

export const messageRequestSchema = z.strictObject({
  ...countTokensFields,
  // 0 is valid: it populates the prompt cache without generating (the SDK's `max_tokens` doc).
  max_tokens: z.number().int().min(0),
  metadata: z.strictObject({ user_id: z.string().nullish() }).optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  service_tier: z.enum(['auto', 'standard_only']).optional(),
  inference_geo: z.string().nullish(),
  container: z.unknown().optional(),
});

export type CacheControl = z.infer<typeof cacheControlSchema>;
export type ImageBlockParam = z.infer<typeof imageBlockSchema>;
export type DocumentBlockParam = z.infer<typeof documentBlockSchema>;
export type SearchResultBlockParam = z.infer<typeof searchResultBlockSchema>;
export type ToolUseBlockParam = z.infer<typeof toolUseBlockSchema>;
export type ToolResultBlockParam = z.infer<typeof toolResultBlockSchema>;
export type ContentBlockParam = z.infer<typeof contentBlockSchema>;
export type MessageParam = z.infer<typeof messageParamSchema>;
export type ToolParam = z.infer<typeof toolSchema>;
export type ToolChoice = z.infer<typeof toolChoiceSchema>;
export type MessageRequest = z.infer<typeof messageRequestSchema>;
export type CountTokensRequest = z.infer<typeof countTokensRequestSchema>;

/**
 * The real API's message for a body that failed validation: its first error in pydantic's wording
 * at the API's location (`messages.0.content.0.foo: Extra inputs are not permitted`,
 * `max_tokens: Field required`); see field-errors.ts. Pass the body and the schema it failed so
 * the location names union tags as the API's does.
 */
export function describeIssues(error: z.ZodError, input?: unknown, schema?: z.ZodType): string {
  return describeFieldErrors(error, input, schema);
}
