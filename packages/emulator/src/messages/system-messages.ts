import type { ModelInfo } from '@keel/models';
import { invalidRequest } from '../http/api-error.ts';
import type { MessageParam } from './request-schema.ts';

/**
 * Mid-conversation system messages: `{"role": "system"}` entries of `messages` that add system
 * instructions partway through a conversation without touching the cached prefix before them.
 *
 * Sources:
 * - https://platform.claude.com/docs/zh-TW/build-with-claude/mid-conversation-system-messages
 *   (the newest stored copy): no beta header; available on Fable 5.1, Mythos 5.1, Fable 5,
 *   Mythos 5, Opus 5.5, Opus 4.8, Opus 5, Sonnet 5.5 and Haiku 5.5, not on Sonnet 5 (the catalog's
 *   `capabilities.midConversationSystemMessages`).
 * - The placement and content rules, as the same feature's Bedrock page states them
 *   (docs.aws.amazon.com/bedrock/latest/userguide/claude-messages-mid-conversation-system.html):
 *   not the first entry; immediately after a user message or an assistant message ending in a
 *   server tool use; the last entry or followed by an assistant turn; never next to another system
 *   message; text blocks only (no images, documents, tool blocks or citations). Breaking any is a
 *   400 invalid_request_error; no capture of the real wording was found, so the messages here are
 *   the emulator's, located like the API's other errors.
 * - A real request: /work/shared/wire/requests/system_after_server_tool.json (a system message
 *   last, after an assistant turn ending in a server tool's result, no beta header).
 * - Per-turn fields (the SDK's BetaSystemMessageParam): `output_config.effort` under
 *   `mid-conversation-output-config-2026-07-01`
 *   (https://platform.claude.com/docs/zh-CN/build-with-claude/effort-per-message.md) or
 *   `per-turn-control-2026-07-01`, the name Claude Code 2.1.332 sends with the same field (it
 *   relies on it against the real API); `clear_at` under
 *   `mid-conversation-system-clear-at-2026-08-21`. "A message with neither content nor
 *   output_config fields is rejected"; an effort-only message (empty content) may sit anywhere
 *   after the first message: its position only says from which user turn the level applies.
 */

/** Betas under which a system message may carry `output_config`. */
const perTurnOutputConfigBetas = [
  'mid-conversation-output-config-2026-07-01',
  'per-turn-control-2026-07-01',
] as const;

/** The beta under which a system message may carry `clear_at`. */
const clearAtBeta = 'mid-conversation-system-clear-at-2026-08-21';

/** What the system-message rules need besides the messages. */
export interface SystemMessageRules {
  model: Pick<ModelInfo, 'id' | 'capabilities'>;
  betas: readonly string[];
}

function isEmpty(message: MessageParam): boolean {
  return typeof message.content === 'string'
    ? message.content === ''
    : message.content.length === 0;
}

/** The per-turn fields a system message sets (`output_config: {}` sets none). */
function setsOutputConfig(message: MessageParam): boolean {
  return message.output_config?.effort !== undefined && message.output_config.effort !== null;
}

/** An assistant message whose last block is a server tool's call or result. */
function endsInServerToolUse(message: MessageParam): boolean {
  if (message.role !== 'assistant' || typeof message.content === 'string') return false;
  const last = message.content.at(-1) as { type: string } | undefined;
  if (!last) return false;
  return (
    last.type === 'server_tool_use' ||
    (last.type.endsWith('_tool_result') && last.type !== 'tool_result')
  );
}

/**
 * Checks every `role: "system"` message of `messages` (and that no other message carries their
 * fields). Throws the API's 400 for the first rule broken.
 */
export function validateSystemMessages(
  messages: readonly MessageParam[],
  rules: SystemMessageRules,
): void {
  messages.forEach((message, index) => {
    if (message.role === 'system') return;
    // Fields of the system message type only: pydantic's wording for a field the type lacks.
    for (const field of ['output_config', 'clear_at'] as const) {
      if (message[field] !== undefined) {
        throw invalidRequest(`messages.${index}.${field}: Extra inputs are not permitted`);
      }
    }
  });
  const { model, betas } = rules;
  messages.forEach((message, index) => {
    if (message.role !== 'system') return;
    const at = `messages.${index}`;
    if (!model.capabilities.midConversationSystemMessages) {
      throw invalidRequest(
        `${at}.role: system messages in \`messages\` are not supported by ${model.id}; use the top-level \`system\` field`,
      );
    }
    if (
      message.output_config !== undefined &&
      message.output_config !== null &&
      !perTurnOutputConfigBetas.some((beta) => betas.includes(beta))
    ) {
      throw invalidRequest(
        `${at}.output_config: \`output_config\` on a system message requires the \`${perTurnOutputConfigBetas[0]}\` beta header`,
      );
    }
    if (
      message.clear_at !== undefined &&
      message.clear_at !== null &&
      !betas.includes(clearAtBeta)
    ) {
      throw invalidRequest(
        `${at}.clear_at: \`clear_at\` requires the \`${clearAtBeta}\` beta header`,
      );
    }
    const effort = message.output_config?.effort;
    if (effort && !(model.capabilities.effort as readonly string[]).includes(effort)) {
      throw invalidRequest(
        model.capabilities.effort.length === 0
          ? 'This model does not support the effort parameter.'
          : `${at}.output_config.effort: "${effort}" is not supported by ${model.id}; expected one of ${model.capabilities.effort.join(', ')}`,
      );
    }
    if (typeof message.content !== 'string') {
      message.content.forEach((block, blockIndex) => {
        const path = `${at}.content.${blockIndex}`;
        if (block.type !== 'text') {
          throw invalidRequest(
            `${path}: system messages can only contain \`text\` blocks, but found \`${block.type}\``,
          );
        }
        if (block.text === '')
          throw invalidRequest(`${path}: text content blocks must be non-empty`);
        if (block.citations !== undefined && block.citations !== null) {
          throw invalidRequest(`${path}.citations: citations are not supported in system messages`);
        }
      });
    }
    if (index === 0) {
      throw invalidRequest(
        `${at}: a system message cannot be the first message; put instructions that apply from the start in the top-level \`system\` field`,
      );
    }
    if (isEmpty(message)) {
      if (!setsOutputConfig(message)) {
        throw invalidRequest(
          `${at}: a system message must have non-empty content or set \`output_config\``,
        );
      }
      // Effort only: its position says when the level applies; the placement rules are for text.
      return;
    }
    // A run of adjacent system messages may hold one with content and effort-only ones; the run
    // as a whole takes the content message's place ("both must follow the placement rules").
    let first = index;
    while (first > 0 && messages[first - 1]!.role === 'system') first--;
    let last = index;
    while (last + 1 < messages.length && messages[last + 1]!.role === 'system') last++;
    for (let other = first; other <= last; other++) {
      if (other !== index && !isEmpty(messages[other]!)) {
        throw invalidRequest(`${at}: system messages cannot be adjacent to another system message`);
      }
    }
    const previous = messages[first - 1];
    const next = messages[last + 1];
    if (!previous || (previous.role !== 'user' && !endsInServerToolUse(previous))) {
      throw invalidRequest(
        `${at}: a system message must immediately follow a user message or an assistant message ending in a server tool use`,
      );
    }
    if (next !== undefined && next.role !== 'assistant') {
      throw invalidRequest(
        `${at}: a system message must be the last message or be followed by an assistant message`,
      );
    }
  });
}

/**
 * Whether a system message is still shown to the model: `clear_at: "next_user_message"` hides it
 * once a later user message exists (it stays in the array; the SDK's BetaSystemMessageParam).
 */
export function isSystemMessageShown(messages: readonly MessageParam[], index: number): boolean {
  const message = messages[index]!;
  if (message.clear_at !== 'next_user_message') return true;
  return !messages.slice(index + 1).some((later) => later.role === 'user');
}
