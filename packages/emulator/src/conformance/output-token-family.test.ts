import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';
import { generateMessage, planCache, prepareMessageRequest } from '../messages/create-message.ts';
import { streamEvents } from '../messages/stream-events.ts';
import { countTextTokens } from '../messages/tokenizer.ts';

/**
 * Output tokens are counted with the model's tokenizer family, as input tokens are: the newer
 * tokenizer of Claude Opus 4.7 and later makes about 30% more tokens of the same text
 * (https://platform.claude.com/docs/en/build-with-claude/token-counting), whichever side of the
 * conversation the text is on. Checked over a real socket with the official SDK, plain and
 * streamed, and with the stream's delta token counts.
 */

const answer = Array.from({ length: 120 }, (_, index) => `word${index % 10}`).join(' ');

const scenarios = [
  {
    name: 'fixed-answer',
    forcedOnly: true,
    replies: [{ content: [{ type: 'text' as const, text: answer }] }],
  },
];

let emulator: EmulatorHandle;
let client: Anthropic;

beforeAll(async () => {
  emulator = await startEmulator({ scenarios });
  client = new Anthropic({ apiKey: 'family-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

const ask = (model: string, maxTokens = 1000): Anthropic.MessageCreateParamsNonStreaming => ({
  model,
  max_tokens: maxTokens,
  messages: [{ role: 'user', content: 'Say the words.' }],
});
const forced = { headers: { 'x-keel-scenario': 'fixed-answer' } };

async function plainAndStreamed(body: Anthropic.MessageCreateParamsNonStreaming) {
  const plain = await client.messages.create(body, forced);
  const streamed = await client.messages.stream(body, forced).finalMessage();
  const { id: _a, ...plainRest } = plain;
  const {
    id: _b,
    parsed_output: _c,
    ...streamedRest
  } = streamed as Anthropic.Message & {
    parsed_output?: unknown;
  };
  expect(JSON.parse(JSON.stringify(streamedRest))).toEqual(JSON.parse(JSON.stringify(plainRest)));
  return plain;
}

describe('output tokens per tokenizer family', () => {
  it('bills the same text about 30% more on a claude-4-7 model than on a claude-3 one', async () => {
    const older = await plainAndStreamed(ask('claude-opus-4-6'));
    const newer = await plainAndStreamed(ask('claude-opus-5-5'));
    expect(older.content).toEqual(newer.content);
    expect(older.usage.output_tokens).toBe(countTextTokens(answer));
    expect(newer.usage.output_tokens).toBe(countTextTokens(answer, 'claude-4-7'));
    expect(newer.usage.output_tokens).toBe(Math.ceil(older.usage.output_tokens * 1.3));
  });

  it('cuts at max_tokens with exactly max_tokens billed and the kept text within it', async () => {
    const cut = await plainAndStreamed(ask('claude-opus-5-5', 50));
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.usage.output_tokens).toBe(50);
    const text = cut.content[0]?.type === 'text' ? cut.content[0].text : '';
    expect(answer.startsWith(text)).toBe(true);
    expect(countTextTokens(text, 'claude-4-7')).toBeLessThanOrEqual(50);
    expect(countTextTokens(text, 'claude-4-7')).toBeGreaterThan(45);
  });

  it('streams deltas whose token counts add up to usage.output_tokens, withheld thinking included', () => {
    const state = emulator.state;
    const prepared = prepareMessageRequest(state, {
      ...ask('claude-opus-5-5'),
      thinking: { type: 'adaptive' },
      messages: [{ role: 'user', content: 'Why is the sky blue?' }],
    });
    const { message, streamed } = generateMessage(
      state,
      prepared,
      planCache(state, prepared, 'family-key').usage,
    );
    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: '' });
    const events = streamEvents(message, streamed);
    expect(events.reduce((sum, event) => sum + event.tokens, 0)).toBe(message.usage.output_tokens);
  });
});
