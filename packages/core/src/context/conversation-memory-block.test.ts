import { describe, expect, it } from 'vitest';
import { conversationMemoryBlock } from './conversation-memory-block.ts';

const empty = { facts: [], decisions: [], preferences: [] };

describe('the conversation memory block', () => {
  it('is absent while there is nothing to remember', () => {
    expect(conversationMemoryBlock({ summary: null, memory: empty })).toEqual([]);
  });

  it('pins the summary and each non-empty kind of memory as one text block', () => {
    expect(
      conversationMemoryBlock({
        summary: 'The customer wants a refund.',
        memory: { facts: ['order A-1', 'card ends 4242'], decisions: [], preferences: ['email'] },
      }),
    ).toEqual([
      {
        type: 'text',
        text: [
          '<conversation_memory>',
          'Summary of earlier turns:',
          'The customer wants a refund.',
          '',
          'Facts:',
          '- order A-1',
          '- card ends 4242',
          '',
          'Preferences:',
          '- email',
          '</conversation_memory>',
        ].join('\n'),
      },
    ]);
  });
});
