import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import { splitThinking, thinkingForLog } from './split-thinking.ts';

const message = {
  content: [
    {
      type: 'thinking',
      thinking: 'The user is ada@example.com; check the fence maths.',
      signature: 's1',
    },
    { type: 'redacted_thinking', data: 'opaque' },
    { type: 'text', text: 'Use 25 m by 50 m', citations: null },
    { type: 'text', text: '.', citations: null },
  ],
} as Pick<Message, 'content'>;

describe('splitThinking', () => {
  it('keeps reasoning apart from the answer', () => {
    expect(splitThinking(message)).toEqual({
      thinking: 'The user is ada@example.com; check the fence maths.',
      text: 'Use 25 m by 50 m.',
      redactedBlocks: 1,
      thinkingBlocks: 2,
    });
  });

  it('logs thinking only on request, and scrubbed', () => {
    expect(thinkingForLog(message)).toBeUndefined();
    expect(thinkingForLog(message, { enabled: true })).toBe(
      'The user is [REDACTED_EMAIL]; check the fence maths.',
    );
    expect(thinkingForLog(message, { enabled: true, scrub: (text) => text.toUpperCase() })).toMatch(
      /^THE USER/,
    );
  });
});
