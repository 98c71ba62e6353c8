import { describe, expect, it } from 'vitest';
import { recallIntoLastMessage, recallTrimmed } from './recall-trimmed.ts';

describe('recalling trimmed turns', () => {
  const trimmed = [
    { role: 'user' as const, content: 'Hi, I need help with a refund for my blender.' },
    {
      role: 'assistant' as const,
      content: [{ type: 'text' as const, text: 'Sure, which order is it?' }],
    },
    {
      role: 'user' as const,
      content: 'For reference, my customer number is K0ABC12Z. The order shipped late.',
    },
    {
      role: 'user' as const,
      content: 'The gift message I want on the package is "Happy birthday Sam".',
    },
  ];

  it('brings back the turn the user refers to', () => {
    const recalled = recallTrimmed({ trimmed, query: 'What was the customer number I gave you?' });
    expect(recalled[0]?.text).toContain('K0ABC12Z');
  });

  it('brings back nothing for an unrelated question', () => {
    expect(recallTrimmed({ trimmed, query: 'Do you sell garden furniture?' })).toEqual([]);
  });

  it('appends what it recalls to the new user message, after its own content', () => {
    const question = { role: 'user' as const, content: 'What was the customer number I gave you?' };
    const { messages, recalled } = recallIntoLastMessage({ trimmed, messages: [question] });
    expect(recalled[0]?.text).toContain('K0ABC12Z');
    expect(messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: question.content },
          {
            type: 'text',
            text: expect.stringMatching(
              /^Recalled from earlier in this conversation:\n- .*K0ABC12Z/,
            ),
          },
        ],
      },
    ]);
  });

  it("recalls nothing when nothing was trimmed or the last message is not the user's", () => {
    const question = { role: 'user' as const, content: 'What was the customer number I gave you?' };
    expect(recallIntoLastMessage({ trimmed: [], messages: [question] })).toEqual({
      messages: [question],
      recalled: [],
    });
    const answer = { role: 'assistant' as const, content: 'customer number K0ABC12Z' };
    expect(recallIntoLastMessage({ trimmed, messages: [question, answer] }).recalled).toEqual([]);
  });
});
