import { describe, expect, it } from 'vitest';
import type { MessageParam } from '../call/conversation-shape.ts';
import type { StoredMessage, StoredMessageStatus } from './conversation-store.ts';
import { sendableHistory, withUnstoredMessage } from './sendable-history.ts';

const stored = (entries: Array<[MessageParam, StoredMessageStatus]>): StoredMessage[] =>
  entries.map(([message, status], seq) => ({
    conversationId: 'c1',
    seq,
    message,
    status,
    createdAtMs: 0,
  }));

describe('the sendable history', () => {
  it('leaves out unfinished and failed turns and merges the turns of one role they leave', () => {
    const history = sendableHistory(
      stored([
        [{ role: 'user', content: 'Tell me a story' }, 'complete'],
        [{ role: 'assistant', content: 'Once upon a' }, 'incomplete'],
        [{ role: 'user', content: 'Look at this' }, 'failed'],
        [{ role: 'assistant', content: [] }, 'failed'],
        [{ role: 'user', content: 'Never mind' }, 'complete'],
        [{ role: 'assistant', content: 'Sure' }, 'streaming'],
      ]),
    );
    expect(history).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Tell me a story' },
          { type: 'text', text: 'Never mind' },
        ],
      },
    ]);
  });

  it('adds a message not stored yet as the next finished turn', () => {
    const earlier = stored([
      [{ role: 'user', content: 'Hi' }, 'complete'],
      [{ role: 'assistant', content: 'Hello' }, 'complete'],
    ]);
    const withNew = withUnstoredMessage(earlier, { role: 'user', content: 'Where is my order?' });
    expect(withNew.at(-1)).toMatchObject({ seq: 2, status: 'complete', conversationId: 'c1' });
    expect(sendableHistory(withNew).map((message) => message.content)).toEqual([
      'Hi',
      'Hello',
      'Where is my order?',
    ]);
    expect(withUnstoredMessage(earlier, undefined)).toBe(earlier);
  });
});
