import { z } from 'zod';
import { invalidRequest } from '../http/api-error.ts';
import type { ContentBlockParam, CountTokensRequest, MessageParam } from './request-schema.ts';

/**
 * Context editing (`context_management`, beta `context-management-2025-06-27`): the edits the API
 * applies to the conversation before the model sees it. Sources: the SDK's
 * `BetaContextManagementConfig` / `BetaContextManagementResponse` /
 * `BetaCountTokensContextManagementResponse` types, and
 * https://platform.claude.com/docs/en/build-with-claude/context-editing (defaults: trigger at
 * 100,000 input tokens, keep 3 tool uses, keep the thinking of the last assistant turn; cleared
 * tool results are replaced by placeholder text; the client keeps its full history).
 */

/** The beta that unlocks `context_management`. */
export const contextManagementBeta = 'context-management-2025-06-27';

/**
 * What a cleared tool result becomes. The docs say "placeholder text" without quoting it; this is
 * the emulator's choice (the one LangChain's mirror of the feature uses).
 */
export const clearedToolResultPlaceholder = '[cleared]';

const inputTokens = z.strictObject({
  type: z.literal('input_tokens'),
  value: z.number().int().nonnegative(),
});
const toolUses = z.strictObject({
  type: z.literal('tool_uses'),
  value: z.number().int().nonnegative(),
});

const clearToolUsesEditSchema = z.strictObject({
  type: z.literal('clear_tool_uses_20250919'),
  trigger: z.discriminatedUnion('type', [inputTokens, toolUses]).optional(),
  keep: toolUses.optional(),
  clear_at_least: inputTokens.nullish(),
  clear_tool_inputs: z.union([z.boolean(), z.array(z.string())]).nullish(),
  exclude_tools: z.array(z.string()).nullish(),
});

const clearThinkingEditSchema = z.strictObject({
  type: z.literal('clear_thinking_20251015'),
  keep: z
    .union([
      z.literal('all'),
      z.strictObject({ type: z.literal('all') }),
      z.strictObject({
        type: z.literal('thinking_turns'),
        value: z.number().int().nonnegative(),
      }),
    ])
    .optional(),
});

/**
 * The words every "known but not emulated" 400 carries (`unsupportedPhrase` in
 * surface/reject-unsupported.ts, not imported: that module imports the request schema, which
 * imports this one).
 */
const unsupportedPhrase = 'is not supported by the Keel emulator yet';

/** Server-side compaction: known (the SDK has it) but not emulated, refused by name below. */
const compactEditSchema = z.looseObject({ type: z.literal('compact_20260112') });

export const contextManagementSchema = z.strictObject({
  edits: z
    .array(
      z.discriminatedUnion('type', [
        clearToolUsesEditSchema,
        clearThinkingEditSchema,
        compactEditSchema,
      ]),
    )
    .optional(),
});

type ContextManagementConfig = z.infer<typeof contextManagementSchema>;
type ClearToolUsesEdit = z.infer<typeof clearToolUsesEditSchema>;
type ClearThinkingEdit = z.infer<typeof clearThinkingEditSchema>;

/** One applied edit, as `context_management.applied_edits` reports it. */
type AppliedEdit =
  | { type: 'clear_tool_uses_20250919'; cleared_tool_uses: number; cleared_input_tokens: number }
  | {
      type: 'clear_thinking_20251015';
      cleared_thinking_turns: number;
      cleared_input_tokens: number;
    };

/** The response's `context_management` (Messages) report. */
export interface ContextManagementReport {
  applied_edits: AppliedEdit[];
}

/** What managing the context produced. */
export interface ManagedContext<Request> {
  /** The request as the model sees it (the same object when nothing was edited). */
  request: Request;
  /** The response's report, or null when the request had no `context_management`. */
  report: ContextManagementReport | null;
  /** Input tokens before any edit (count_tokens reports it), or null without `context_management`. */
  originalInputTokens: number | null;
}

/** What managing the context needs besides the request. */
export interface ManageContextOptions<Request> {
  /** Beta names from `anthropic-beta`. */
  betas: readonly string[];
  /** Whether the model thinks on this request (enabled, adaptive, or always on). */
  thinkingOn: boolean;
  /** The input tokens of a request, as the token counter sees it. */
  countTokens: (request: Request) => number;
}

const defaultTrigger = { type: 'input_tokens', value: 100_000 } as const;
const defaultKeepToolUses = 3;
const defaultKeepThinkingTurns = 1;

function validateConfig(
  config: ContextManagementConfig,
  options: { betas: readonly string[]; thinkingOn: boolean },
): void {
  if (!options.betas.includes(contextManagementBeta)) {
    // Without its beta the field is not part of the request schema.
    throw invalidRequest('context_management: Extra inputs are not permitted');
  }
  const edits = config.edits ?? [];
  edits.forEach((edit, index) => {
    if (edit.type === 'compact_20260112') {
      throw invalidRequest(
        `context_management.edits.${index}.type: the edit "compact_20260112" ${unsupportedPhrase} (server-side compaction; see the fidelity table in packages/emulator/README.md)`,
      );
    }
    if (edit.type !== 'clear_thinking_20251015') return;
    // The docs require clear_thinking first when strategies are combined, and the strategy only
    // makes sense with thinking on. The wording of both errors is the emulator's (undocumented).
    if (index !== 0) {
      throw invalidRequest(
        `context_management.edits.${index}: clear_thinking_20251015 must be the first edit in \`edits\` when combined with other strategies`,
      );
    }
    if (!options.thinkingOn) {
      throw invalidRequest(
        `context_management.edits.${index}: clear_thinking_20251015 requires \`thinking\` to be enabled or adaptive`,
      );
    }
  });
}

function blocksOf(message: MessageParam): ContentBlockParam[] {
  return typeof message.content === 'string'
    ? [{ type: 'text', text: message.content }]
    : message.content;
}

function isThinking(block: ContentBlockParam): boolean {
  return block.type === 'thinking' || block.type === 'redacted_thinking';
}

/**
 * The assistant turn each message belongs to (-1 for user messages). A turn runs from a user
 * message with something besides tool results to the next: the assistant messages of one tool
 * loop, with the tool results between them, are one turn ("an assistant turn may include multiple
 * content blocks, e.g. when using tools", context-editing docs).
 */
function assistantTurns(messages: readonly MessageParam[]): number[] {
  let turn = -1;
  let newTurn = true;
  return messages.map((message) => {
    // A mid-conversation system message belongs to no assistant turn and starts none.
    if (message.role === 'system') return -1;
    if (message.role === 'user') {
      if (!blocksOf(message).every((block) => block.type === 'tool_result')) newTurn = true;
      return -1;
    }
    if (newTurn) {
      turn++;
      newTurn = false;
    }
    return turn;
  });
}

/** Removes thinking blocks from all but the most recent `keep` assistant turns that have some. */
function clearThinking(
  messages: MessageParam[],
  edit: ClearThinkingEdit,
): { messages: MessageParam[]; clearedTurns: number } {
  const keep = edit.keep ?? { type: 'thinking_turns', value: defaultKeepThinkingTurns };
  if (keep === 'all' || keep.type === 'all') return { messages, clearedTurns: 0 };
  const turnOf = assistantTurns(messages);
  const thinkingTurns = [
    ...new Set(
      messages.flatMap((message, index) =>
        message.role === 'assistant' && blocksOf(message).some(isThinking) ? [turnOf[index]!] : [],
      ),
    ),
  ];
  const cleared = new Set(thinkingTurns.slice(0, Math.max(0, thinkingTurns.length - keep.value)));
  if (cleared.size === 0) return { messages, clearedTurns: 0 };
  return {
    messages: messages.map((message, index) =>
      cleared.has(turnOf[index]!)
        ? { ...message, content: blocksOf(message).filter((block) => !isThinking(block)) }
        : message,
    ),
    clearedTurns: cleared.size,
  };
}

function toolUseCount(messages: readonly MessageParam[]): number {
  return messages.reduce(
    (sum, message) =>
      sum +
      (message.role === 'assistant'
        ? blocksOf(message).filter((b) => b.type === 'tool_use').length
        : 0),
    0,
  );
}

/**
 * Replaces the oldest tool results (all but the most recent `keep` tool uses, never those of
 * excluded tools) with the placeholder, and their inputs too when `clear_tool_inputs` says so.
 */
function clearToolUses(
  messages: MessageParam[],
  edit: ClearToolUsesEdit,
): { messages: MessageParam[]; clearedToolUses: number } {
  const uses = messages.flatMap((message) =>
    message.role === 'assistant'
      ? blocksOf(message).flatMap((block) =>
          block.type === 'tool_use' ? [{ id: block.id, name: block.name }] : [],
        )
      : [],
  );
  const keep = edit.keep?.value ?? defaultKeepToolUses;
  const excluded = new Set(edit.exclude_tools ?? []);
  const clearedUses = uses
    .slice(0, Math.max(0, uses.length - keep))
    .filter((use) => !excluded.has(use.name));
  if (clearedUses.length === 0) return { messages, clearedToolUses: 0 };
  const clearedIds = new Set(clearedUses.map((use) => use.id));
  const clearInput = (name: string) =>
    edit.clear_tool_inputs === true ||
    (Array.isArray(edit.clear_tool_inputs) && edit.clear_tool_inputs.includes(name));
  const edited = messages.map((message) => {
    if (typeof message.content === 'string') return message;
    let changed = false;
    const content = message.content.map((block) => {
      if (block.type === 'tool_result' && clearedIds.has(block.tool_use_id)) {
        changed = true;
        return { ...block, content: clearedToolResultPlaceholder };
      }
      if (block.type === 'tool_use' && clearedIds.has(block.id) && clearInput(block.name)) {
        changed = true;
        return { ...block, input: {} };
      }
      return block;
    });
    return changed ? { ...message, content } : message;
  });
  return { messages: edited, clearedToolUses: clearedUses.length };
}

/**
 * Validates and applies the request's `context_management` edits, in the order given. An edit
 * that clears nothing (its trigger not reached, nothing old enough, or less than `clear_at_least`
 * tokens to gain) leaves the request as it was and is not reported.
 */
export function manageContext<Request extends CountTokensRequest>(
  request: Request,
  options: ManageContextOptions<Request>,
): ManagedContext<Request> {
  const config = request.context_management;
  if (!config) return { request, report: null, originalInputTokens: null };
  validateConfig(config, options);

  const originalInputTokens = options.countTokens(request);
  let current = request;
  let currentTokens = originalInputTokens;
  const applied: AppliedEdit[] = [];
  for (const edit of config.edits ?? []) {
    if (edit.type === 'compact_20260112') continue; // refused in validateConfig
    if (edit.type === 'clear_thinking_20251015') {
      const { messages, clearedTurns } = clearThinking(current.messages, edit);
      if (clearedTurns === 0) continue;
      const next = { ...current, messages };
      const tokens = options.countTokens(next);
      applied.push({
        type: edit.type,
        cleared_thinking_turns: clearedTurns,
        cleared_input_tokens: currentTokens - tokens,
      });
      current = next;
      currentTokens = tokens;
      continue;
    }
    const trigger = edit.trigger ?? defaultTrigger;
    const measure =
      trigger.type === 'input_tokens' ? currentTokens : toolUseCount(current.messages);
    // "when the conversation context grows beyond your configured threshold"
    if (measure <= trigger.value) continue;
    const { messages, clearedToolUses } = clearToolUses(current.messages, edit);
    if (clearedToolUses === 0) continue;
    const next = { ...current, messages };
    const tokens = options.countTokens(next);
    if (edit.clear_at_least && currentTokens - tokens < edit.clear_at_least.value) continue;
    applied.push({
      type: edit.type,
      cleared_tool_uses: clearedToolUses,
      cleared_input_tokens: currentTokens - tokens,
    });
    current = next;
    currentTokens = tokens;
  }
  return { request: current, report: { applied_edits: applied }, originalInputTokens };
}
