import type {
  ContentBlockParam,
  MessageParam,
  MessageRequest,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '../messages/request-schema.ts';
import { isSystemMessageShown } from '../messages/system-messages.ts';

/** A message's content as blocks (a string is shorthand for one text block). */
export function blocksOf(message: MessageParam): ContentBlockParam[] {
  return typeof message.content === 'string'
    ? [{ type: 'text', text: message.content }]
    : message.content;
}

const systemReminder = /<system-reminder>([\s\S]*?)<\/system-reminder>/g;

/**
 * Text without `<system-reminder>` blocks. Claude Code puts its environment, date and tool
 * notes in user turns inside these tags; a model reads them as context, not as the question.
 */
function withoutSystemReminders(text: string): string {
  return text.includes('<system-reminder>') ? text.replace(systemReminder, '').trim() : text;
}

/** The text blocks of a list of blocks (system reminders left out), joined by newlines. */
function textOf(blocks: readonly ContentBlockParam[]): string {
  return blocks
    .flatMap((block) => (block.type === 'text' ? [withoutSystemReminders(block.text)] : []))
    .filter((text) => text !== '')
    .join('\n')
    .trim();
}

/** The system prompt and every system reminder of the user turns: what the model is told. */
export function contextNotes(request: Pick<MessageRequest, 'system' | 'messages'>): string {
  const notes = [systemText(request)];
  for (const message of request.messages) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const block of message.content) {
      if (block.type !== 'text' || !block.text.includes('<system-reminder>')) continue;
      for (const match of block.text.matchAll(systemReminder)) notes.push(match[1]!.trim());
    }
  }
  return notes.filter(Boolean).join('\n');
}

/**
 * What the model is instructed: the system prompt, then the text of every mid-conversation
 * `role: "system"` message still shown (one with `clear_at: "next_user_message"` is hidden once a
 * later user message exists), as one string. Claude Code on 5.x models sends its environment
 * this way; it is instruction context, never the user's question.
 */
export function systemText(request: Pick<MessageRequest, 'system' | 'messages'>): string {
  const parts: string[] = [];
  if (typeof request.system === 'string') parts.push(request.system);
  else if (request.system) parts.push(request.system.map((block) => block.text).join('\n'));
  request.messages.forEach((message, index) => {
    if (message.role !== 'system' || !isSystemMessageShown(request.messages, index)) return;
    const text = textOf(blocksOf(message));
    if (text !== '') parts.push(text);
  });
  return parts.filter(Boolean).join('\n');
}

/** The index of the last user message, or -1. */
function lastUserIndex(request: Pick<MessageRequest, 'messages'>): number {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    if (request.messages[i]!.role === 'user') return i;
  }
  return -1;
}

/** The blocks of the last user message (empty when there is none). */
export function lastUserBlocks(request: Pick<MessageRequest, 'messages'>): ContentBlockParam[] {
  const index = lastUserIndex(request);
  return index === -1 ? [] : blocksOf(request.messages[index]!);
}

/** The text of the last user message (text blocks only). */
export function lastUserText(request: Pick<MessageRequest, 'messages'>): string {
  return textOf(lastUserBlocks(request));
}

/**
 * The user's latest words: the text of the last user message that has any, skipping turns that
 * carry only tool results. In a tool loop this is still the question that started it.
 */
export function latestUserWords(request: Pick<MessageRequest, 'messages'>): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i]!;
    if (message.role !== 'user') continue;
    const text = textOf(blocksOf(message));
    if (text !== '') return text;
  }
  return '';
}

/** The tool results of the last user turn (empty when the user wrote words instead). */
export function lastToolResults(request: Pick<MessageRequest, 'messages'>): ToolResultBlockParam[] {
  return lastUserBlocks(request).filter(
    (block): block is ToolResultBlockParam => block.type === 'tool_result',
  );
}

/** Every tool call the assistant made in the conversation, by id. */
export function toolUsesById(
  request: Pick<MessageRequest, 'messages'>,
): Map<string, ToolUseBlockParam> {
  const result = new Map<string, ToolUseBlockParam>();
  for (const message of request.messages) {
    if (message.role !== 'assistant') continue;
    for (const block of blocksOf(message)) {
      if (block.type === 'tool_use') result.set(block.id, block);
    }
  }
  return result;
}

/** The text of a trailing assistant message (a prefill the reply continues), or undefined. */
export function prefillText(request: Pick<MessageRequest, 'messages'>): string | undefined {
  const last = request.messages.at(-1);
  if (!last || last.role !== 'assistant') return undefined;
  return textOf(blocksOf(last));
}

/**
 * A file listing without the line numbers `cat -n` puts before each line (Claude Code's Read
 * returns `1\tfirst line`): a model quotes the file, not the numbers.
 */
function withoutLineNumbers(text: string): string {
  const lines = text.split('\n');
  const numbered = lines.filter((line) => line.trim() !== '');
  if (numbered.length === 0 || !numbered.every((line) => /^\s*\d+(?:\t|$)/.test(line))) return text;
  return lines
    .map((line) => line.replace(/^\s*\d+(?:\t|$)/, ''))
    .join('\n')
    .trim();
}

/** The plain text of a tool result's content (system reminders and line numbers left out). */
export function toolResultText(result: ToolResultBlockParam): string {
  return withoutLineNumbers(withoutSystemReminders(rawToolResultText(result)));
}

function rawToolResultText(result: ToolResultBlockParam): string {
  const content = result.content;
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .flatMap((block) => {
      if (block.type === 'text') return [block.text];
      if (block.type === 'search_result')
        return [block.content.map((part) => part.text).join('\n')];
      return [];
    })
    .join('\n')
    .trim();
}
