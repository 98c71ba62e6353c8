import type { ContentBlock, Message } from '@anthropic-ai/sdk/resources/messages';
import { scrubPii } from '../logging/scrub-pii.ts';

/** A response with its reasoning kept apart from its answer. */
export interface SplitThinking {
  /** The visible thinking text, blocks joined by blank lines (empty when display is omitted). */
  thinking: string;
  /** The answer: every text block, joined. Show this to users. */
  text: string;
  /** Thinking blocks the API returned encrypted (`redacted_thinking`). */
  redactedBlocks: number;
  /** Thinking blocks, visible or not. */
  thinkingBlocks: number;
}

/** Separates a response's thinking from its answer. */
export function splitThinking(message: Pick<Message, 'content'> | ContentBlock[]): SplitThinking {
  const content = Array.isArray(message) ? message : message.content;
  const thoughts: string[] = [];
  const texts: string[] = [];
  let redactedBlocks = 0;
  let thinkingBlocks = 0;
  for (const block of content) {
    if (block.type === 'thinking') {
      thinkingBlocks += 1;
      if (block.thinking !== '') thoughts.push(block.thinking);
    } else if (block.type === 'redacted_thinking') {
      thinkingBlocks += 1;
      redactedBlocks += 1;
    } else if (block.type === 'text') {
      texts.push(block.text);
    }
  }
  return { thinking: thoughts.join('\n\n'), text: texts.join(''), redactedBlocks, thinkingBlocks };
}

/** Options for {@link thinkingForLog}. */
export interface ThinkingForLogOptions {
  /** Log thinking at all. Off by default: reasoning can quote anything the user said. */
  enabled?: boolean;
  /** The scrubber applied before the text leaves the process; default Keel's PII scrubber. */
  scrub?: (text: string) => string;
}

/** The thinking of a response, scrubbed, for a log line; undefined unless logging was asked for. */
export function thinkingForLog(
  message: Pick<Message, 'content'>,
  options: ThinkingForLogOptions = {},
): string | undefined {
  if (!options.enabled) return undefined;
  const { thinking } = splitThinking(message);
  return thinking === '' ? undefined : (options.scrub ?? scrubPii)(thinking);
}
