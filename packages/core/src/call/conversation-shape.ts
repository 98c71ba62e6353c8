import type Anthropic from '@anthropic-ai/sdk';

/**
 * Facts about the shape of a conversation that every trimming strategy must respect: a history may
 * only start at a user message that carries no `tool_result` (so no `tool_result` is ever sent
 * without its `tool_use`, nor a `tool_use` without its result), and blocks are never edited, so
 * thinking blocks travel intact with their signatures.
 */

export type MessageParam = Anthropic.MessageParam;
export type ContentBlockParam = Anthropic.ContentBlockParam;

/** The message's content as a block list (a string is shorthand for one text block). */
export function contentBlocks(message: MessageParam): ContentBlockParam[] {
  return typeof message.content === 'string'
    ? [{ type: 'text', text: message.content }]
    : message.content;
}

function hasToolResult(message: MessageParam): boolean {
  return (
    typeof message.content !== 'string' &&
    message.content.some((block) => block.type === 'tool_result')
  );
}

/**
 * Indexes at which a history may start: user messages that are the user's own words, not tool
 * results. Index 0 is included when the first message qualifies.
 */
export function safeCutPoints(messages: readonly MessageParam[]): number[] {
  const points: number[] = [];
  messages.forEach((message, index) => {
    if (message.role === 'user' && !hasToolResult(message)) points.push(index);
  });
  return points;
}

/** The problems that would make the API reject a history (empty when it is well-formed). */
export function historyProblems(messages: readonly MessageParam[]): string[] {
  const problems: string[] = [];
  if (messages.length === 0) return ['the history is empty'];
  if (messages[0]!.role !== 'user') problems.push('the first message is not from the user');
  let pending = new Set<string>();
  messages.forEach((message, index) => {
    const blocks = contentBlocks(message);
    if (message.role === 'user') {
      const answered = new Set(
        blocks.flatMap((block) => (block.type === 'tool_result' ? [block.tool_use_id] : [])),
      );
      for (const id of answered) {
        if (!pending.has(id))
          problems.push(`message ${index}: tool_result ${id} has no tool_use before it`);
      }
      for (const id of pending) {
        if (!answered.has(id)) problems.push(`message ${index}: tool_use ${id} has no tool_result`);
      }
      pending = new Set();
    } else {
      if (pending.size > 0)
        problems.push(`message ${index}: tool_use left unanswered before an assistant turn`);
      pending = new Set(blocks.flatMap((block) => (block.type === 'tool_use' ? [block.id] : [])));
    }
  });
  if (pending.size > 0)
    problems.push(`the last message leaves tool_use ${[...pending].join(', ')} unanswered`);
  return problems;
}
