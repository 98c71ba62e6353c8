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

/**
 * Checks the conversation the way the API does: a non-empty list starting with a user turn,
 * non-empty content and text, every `tool_use` answered by a `tool_result` in the very next user
 * turn and every `tool_result` answering the turn before, unique tool-call ids, and thinking blocks
 * passed back exactly as issued (their signature must verify).
 */
export function validateConversation(
  messages: readonly MessageParam[],
  options: { thinkingEnabled: boolean },
): void {
  if (messages.length === 0) throw invalidRequest('messages: at least one message is required');
  if (messages[0]!.role !== 'user') {
    throw invalidRequest('messages: first message must use the "user" role');
  }
  messages.forEach((message, index) => {
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
      const answered = new Set(
        next?.blocks.flatMap(({ block }) =>
          block.type === 'tool_result' ? [block.tool_use_id] : [],
        ),
      );
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

  // With manual thinking, a final assistant turn (a continuation) must start with its thinking.
  const last = turns.at(-1)!;
  if (options.thinkingEnabled && last.role === 'assistant' && last.blocks.length > 0) {
    const first = last.blocks[0]!.block;
    if (first.type !== 'thinking' && first.type !== 'redacted_thinking') {
      throw invalidRequest(
        `${last.blocks[0]!.path}: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first.type}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block.`,
      );
    }
  }
}
