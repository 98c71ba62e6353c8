import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import { estimateTextTokens } from '../tokens/estimate-tokens.ts';
import { partialOutputTokens } from './partial-output.ts';

function snapshot(content: unknown[], outputTokens = 1): Message {
  return {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-5-5',
    content,
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 100, output_tokens: outputTokens },
  } as unknown as Message;
}

const options = { tokenizer: 'claude-4-7' as const, maxTokens: 4_000 };

describe('partialOutputTokens', () => {
  it('estimates streamed text and tool input on the high side of the reported count', () => {
    const text = 'The order shipped on Tuesday and should arrive by Friday.';
    const input = { order_id: 'ord_1234' };
    const tokens = partialOutputTokens(
      snapshot([
        { type: 'text', text, citations: null },
        { type: 'tool_use', id: 'toolu_1', name: 'get_order_status', input },
      ]),
      options,
    );
    const expected =
      estimateTextTokens(text) +
      estimateTextTokens('get_order_status') +
      estimateTextTokens(JSON.stringify(input));
    expect(tokens).toBe(expected);
  });

  it('keeps what the API reported when it is more than the estimate', () => {
    expect(partialOutputTokens(snapshot([{ type: 'text', text: 'Hi' }], 250), options)).toBe(250);
  });

  it('counts a stream that carried thinking at max_tokens, since its billed length cannot be seen', () => {
    const omitted = snapshot([{ type: 'thinking', thinking: '', signature: 'sig' }]);
    expect(partialOutputTokens(omitted, options)).toBe(4_000);
    const summarized = snapshot([
      { type: 'thinking', thinking: 'Short summary of a longer reasoning.', signature: 'sig' },
      { type: 'text', text: 'Partial answer' },
    ]);
    expect(partialOutputTokens(summarized, options)).toBe(4_000);
    expect(partialOutputTokens(snapshot([{ type: 'redacted_thinking', data: 'x' }]), options)).toBe(
      4_000,
    );
  });

  it('never estimates more than max_tokens for visible content', () => {
    const long = 'word '.repeat(20_000);
    expect(partialOutputTokens(snapshot([{ type: 'text', text: long }]), options)).toBe(4_000);
  });
});
