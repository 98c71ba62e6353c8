import { invalidRequest } from '../http/api-error.ts';
import type { ContentBlockParam, MessageParam } from './request-schema.ts';
import { verifyThinkingSignature } from './thinking-signature.ts';

/** Consecutive messages of one role, which the API combines into a single turn. */
interface Turn {
  role: 'user' | 'assistant';
  /** Each block with the path it came from. */
  blocks: Array<{ block: ContentBlockParam; path: string }>;
  /** Index of the turn's first message. */
  firstMessage: number;
}

function turnsOf(messages: readonly MessageParam[]): Turn[] {
  const turns: Turn[] = [];
  messages.forEach((message, index) => {
    // System messages sit between turns without splitting them (system-messages.ts checks them).
    if (message.role === 'system') return;
    const blocks =
      typeof message.content === 'string'
        ? [
            {
              block: { type: 'text', text: message.content } as ContentBlockParam,
              path: `messages.${index}.content`,
            },
          ]
        : message.content.map((block, blockIndex) => ({
            block,
            path: `messages.${index}.content.${blockIndex}`,
          }));
    const last = turns.at(-1);
    if (last && last.role === message.role) last.blocks.push(...blocks);
    else turns.push({ role: message.role, blocks, firstMessage: index });
  });
  return turns;
}

function toolUseIds(turn: Turn): string[] {
  return turn.blocks.flatMap(({ block }) => (block.type === 'tool_use' ? [block.id] : []));
}

/** What the conversation rules depend on besides the messages. */
export interface ConversationRules {
  /** The request's thinking mode (`adaptive` when the model thinks whatever the request says). */
  thinking: 'enabled' | 'adaptive' | 'disabled';
  /** Whether the model accepts a trailing assistant turn (prefill). */
  prefill: boolean;
}

/** The real API's text for a final assistant turn without its thinking (manual thinking on). */
function missingThinking(path: string, found: string): string {
  // Real wording: github.com/anomalyco/opencode/issues/3077 and
  // github.com/deepset-ai/haystack-core-integrations/issues/2146 ("preceeding" sic).
  return `${path}.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${found}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`;
}

/**
 * Checks the conversation the way the API does: a non-empty list starting with a user turn,
 * non-empty content and text, every `tool_use` answered by a `tool_result` at the start of the
 * very next user turn and every `tool_result` answering the turn before, unique tool-call ids,
 * thinking blocks passed back exactly as issued (their signature must verify), thinking kept at the
 * start of the current assistant turn under manual thinking, and prefill only where the model
 * takes it. `role: "system"` messages are left to system-messages.ts (checked before this).
 */
export function validateConversation(
  messages: readonly MessageParam[],
  options: ConversationRules,
): void {
  if (messages.length === 0) throw invalidRequest('messages: at least one message is required');
  if (messages[0]!.role !== 'user') {
    throw invalidRequest('messages: first message must use the "user" role');
  }
  messages.forEach((message, index) => {
    if (message.role === 'system') return;
    const empty =
      typeof message.content === 'string' ? message.content === '' : message.content.length === 0;
    if (empty && !(index === messages.length - 1 && message.role === 'assistant')) {
      throw invalidRequest(
        `messages.${index}: all messages must have non-empty content except for the optional final assistant message`,
      );
    }
    if (typeof message.content === 'string') return;
    message.content.forEach((block, blockIndex) => {
      const path = `messages.${index}.content.${blockIndex}`;
      if (block.type === 'text' && block.text === '') {
        throw invalidRequest(`${path}: text content blocks must be non-empty`);
      }
      if (
        message.role === 'user' &&
        (block.type === 'tool_use' ||
          block.type === 'thinking' ||
          block.type === 'redacted_thinking')
      ) {
        throw invalidRequest(
          `${path}: \`${block.type}\` blocks can only be in \`assistant\` messages`,
        );
      }
      if (message.role === 'assistant' && block.type === 'tool_result') {
        throw invalidRequest(`${path}: \`tool_result\` blocks can only be in \`user\` messages`);
      }
      if (block.type === 'thinking' && !verifyThinkingSignature(block.thinking, block.signature)) {
        throw invalidRequest(`${path}: Invalid \`signature\` in \`thinking\` block`);
      }
    });
  });

  const seen = new Set<string>();
  const turns = turnsOf(messages);
  turns.forEach((turn, turnIndex) => {
    if (turn.role === 'assistant') {
      for (const { block, path } of turn.blocks) {
        if (block.type !== 'tool_use') continue;
        if (seen.has(block.id)) throw invalidRequest(`${path}: \`tool_use\` ids must be unique`);
        seen.add(block.id);
      }
      const ids = toolUseIds(turn);
      if (ids.length === 0) return;
      const next = turns[turnIndex + 1];
      // Only the leading run of tool_result blocks answers: a result after other content counts
      // as missing, which is how the API reports misordered results (probed live, see
      // github.com/V1ki/dsh-plugin-subscriptions/issues/22: [text, tool_result] is a 400).
      const answered = new Set<string>();
      for (const { block } of next?.blocks ?? []) {
        if (block.type !== 'tool_result') break;
        answered.add(block.tool_use_id);
      }
      const missing = ids.filter((id) => !answered.has(id));
      if (missing.length > 0) {
        throw invalidRequest(
          `messages.${next?.firstMessage ?? turn.firstMessage}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
        );
      }
      return;
    }
    const previous = turnIndex > 0 ? turns[turnIndex - 1] : undefined;
    const asked = new Set(previous ? toolUseIds(previous) : []);
    for (const { block, path } of turn.blocks) {
      if (block.type === 'tool_result' && !asked.has(block.tool_use_id)) {
        throw invalidRequest(
          `${path}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${block.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
        );
      }
    }
  });

  const last = turns.at(-1)!;
  // An assistant turn followed by a system message is one the server continues (after a server
  // tool), not a prefill: the API took such a request on a model without prefill
  // (/work/shared/wire/requests/system_after_server_tool.json, claude-opus-4-8).
  if (last.role === 'assistant' && messages.at(-1)!.role !== 'system') {
    validateFinalAssistant(messages, options);
  }

  // With manual thinking, the assistant turn in progress (a prefill, or a tool loop whose results
  // close the conversation) must start with the thinking it was issued with. Adaptive thinking may
  // skip thinking on a turn, so it has no such rule.
  if (options.thinking === 'enabled') {
    const inProgress =
      last.role === 'assistant' || last.blocks.every(({ block }) => block.type === 'tool_result');
    if (inProgress) {
      let start = messages.length - 1;
      while (
        start > 0 &&
        !(messages[start]!.role === 'user' && !isToolResultsOnly(messages[start]!))
      )
        start--;
      const firstAssistant = messages.findIndex(
        (message, index) => index > start && message.role === 'assistant',
      );
      const message = firstAssistant === -1 ? undefined : messages[firstAssistant];
      if (message && typeof message.content !== 'string' && message.content.length > 0) {
        const first = message.content[0]!;
        if (first.type !== 'thinking' && first.type !== 'redacted_thinking') {
          throw invalidRequest(missingThinking(`messages.${firstAssistant}.content.0`, first.type));
        }
      } else if (message && typeof message.content === 'string' && message.content !== '') {
        throw invalidRequest(missingThinking(`messages.${firstAssistant}.content`, 'text'));
      }
    }
  }
}

function isToolResultsOnly(message: MessageParam): boolean {
  return (
    typeof message.content !== 'string' &&
    message.content.length > 0 &&
    message.content.every((block) => block.type === 'tool_result')
  );
}

/** Rules for a trailing assistant message (a prefill). */
function validateFinalAssistant(
  messages: readonly MessageParam[],
  options: ConversationRules,
): void {
  const index = messages.length - 1;
  const message = messages[index]!;
  if (!options.prefill) {
    // Real wording: github.com/HKUDS/Vibe-Trading/issues/246 (claude-opus-4-8, 2026-06).
    throw invalidRequest(
      'This model does not support assistant message prefill. The conversation must end with a user message.',
    );
  }
  if (typeof message.content === 'string') return;
  const thinkingAt = message.content.findIndex(
    (block) => block.type === 'thinking' || block.type === 'redacted_thinking',
  );
  if (thinkingAt !== -1 && options.thinking === 'disabled') {
    // Real wording: github.com/tailcallhq/forgecode/issues/1853.
    throw invalidRequest(
      `messages.${index}.content.${thinkingAt}: When thinking is disabled, an \`assistant\` message in the final position cannot contain \`thinking\`. To use thinking blocks, enable \`thinking\` in your request.`,
    );
  }
  const final = message.content.at(-1);
  if (final?.type === 'thinking' || final?.type === 'redacted_thinking') {
    // Real wording: github.com/tailcallhq/forgecode/issues/2107.
    throw invalidRequest(
      `messages.${index}: The final block in an assistant message cannot be \`thinking\`.`,
    );
  }
}
