import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import { describe, expect, it } from 'vitest';
import { openSqliteIndex } from '../index/sqlite-knowledge-index.ts';
import { sha256 } from '../index/chunk-id.ts';
import type { AnswerEvent, MessagesClient } from './answer-types.ts';
import { streamAnswer } from './stream-answer.ts';

/**
 * A client double replaying a recorded event sequence in the API's shapes, for what the emulator
 * does not stream yet (citations_delta). The emulator tests cover the wire.
 */
function replayingClient(events: RawMessageStreamEvent[]): MessagesClient {
  const finalMessage = {
    model: 'claude-sonnet-4-6',
    usage: {
      input_tokens: 10,
      output_tokens: 5,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 8,
    },
  };
  const stream = {
    async *[Symbol.asyncIterator]() {
      yield* events;
    },
    finalMessage: async () => finalMessage,
    abort: () => undefined,
  };
  return { messages: { stream: () => stream } } as unknown as MessagesClient;
}

describe('streamAnswer', () => {
  it('turns citations_delta events into citations tied to the retrieved chunks', async () => {
    const index = openSqliteIndex({ path: ':memory:' });
    const text = 'Refunds take fourteen days.';
    await index.replaceDocument(
      {
        source: '/kb/billing.md',
        title: 'Billing',
        format: 'markdown',
        contentHash: 'h',
        modifiedMs: 1,
        sizeBytes: 1,
      },
      [{ position: 0, text, headings: ['Billing'], contentHash: sha256(text) }],
    );
    const client = replayingClient([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '', citations: null },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'In short: ' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'text', text: '', citations: null },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: {
          type: 'citations_delta',
          citation: {
            type: 'char_location',
            cited_text: text,
            document_index: 0,
            document_title: 'Billing',
            start_char_index: 0,
            end_char_index: text.length,
            file_id: null,
          },
        },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'text_delta', text: 'fourteen days.' },
      },
      { type: 'content_block_stop', index: 1 },
    ] as RawMessageStreamEvent[]);

    const events: AnswerEvent[] = [];
    for await (const event of streamAnswer({ question: 'refunds', index, client }))
      events.push(event);

    expect(events.map((event) => event.type)).toEqual([
      'sources',
      'text-delta',
      'citation',
      'text-delta',
      'finish',
    ]);
    const finish = events.at(-1)!;
    expect(finish).toMatchObject({
      type: 'finish',
      answer: {
        outcome: 'answered',
        text: 'In short: fourteen days.',
        citations: [
          {
            source: '/kb/billing.md',
            citedText: text,
            startChar: 0,
            endChar: text.length,
            answerOffset: 10,
          },
        ],
        usage: {
          inputTokens: 10,
          outputTokens: 5,
          cacheReadInputTokens: 8,
          cacheCreationInputTokens: 0,
        },
      },
    });
    await index.close();
  });
});
