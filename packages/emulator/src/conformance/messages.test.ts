import Anthropic from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startEmulator, type EmulatorHandle } from '../index.ts';

let emulator: EmulatorHandle;
let client: Anthropic;
const model = 'claude-sonnet-4-6';

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Get the current weather for a city',
  input_schema: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
};

beforeAll(async () => {
  emulator = await startEmulator({
    scenarios: [
      {
        name: 'counting',
        match: { userContains: ['zz-never-matches-zz'] },
        replies: [{ content: [{ type: 'text', text: 'one two three STOP four five six seven' }] }],
      },
    ],
  });
  client = new Anthropic({ apiKey: 'conformance-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

describe('messages through the official SDK', () => {
  it('creates a message with the full response shape and emulator headers', async () => {
    const { data, response } = await client.messages
      .create({ model, max_tokens: 200, messages: [{ role: 'user', content: 'Hello there' }] })
      .withResponse();
    expect(data).toMatchObject({
      type: 'message',
      role: 'assistant',
      model,
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
    expect(data.id).toMatch(/^msg_01/);
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(data.usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 0,
      ephemeral_1h_input_tokens: 0,
    });
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    expect(response.headers.get('x-keel-emulator')).toBe('true');
    expect(response.headers.get('anthropic-ratelimit-requests-limit')).not.toBeNull();
  });

  it('streams text events that add up to the final message', async () => {
    const stream = client.messages.stream({
      model,
      max_tokens: 300,
      messages: [{ role: 'user', content: 'Describe a lighthouse at night in a few sentences.' }],
    });
    let text = '';
    const types: string[] = [];
    stream.on('text', (delta) => (text += delta));
    stream.on('streamEvent', (event) => types.push(event.type));
    const final = await stream.finalMessage();
    const block = final.content[0];
    expect(block?.type === 'text' && block.text).toBe(text);
    expect(text.length).toBeGreaterThan(20);
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(types.filter((type) => type === 'content_block_delta').length).toBeGreaterThan(1);
    expect(final.usage.output_tokens).toBeGreaterThan(1);
  });

  it('completes a tool-use round trip, streaming the arguments as inputJson', async () => {
    const question = { role: 'user' as const, content: 'What is the weather in Paris?' };
    const stream = client.messages.stream({
      model,
      max_tokens: 500,
      tools: [weatherTool],
      messages: [question],
    });
    const snapshots: unknown[] = [];
    let json = '';
    stream.on('inputJson', (partial, snapshot) => {
      json += partial;
      snapshots.push(snapshot);
    });
    const first = await stream.finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((block) => block.type === 'tool_use');
    expect(call?.type).toBe('tool_use');
    if (call?.type !== 'tool_use') return;
    expect(call.id).toMatch(/^toolu_/);
    expect(JSON.parse(json)).toEqual(call.input);
    expect(snapshots.length).toBeGreaterThan(1);

    const second = await client.messages.create({
      model,
      max_tokens: 500,
      tools: [weatherTool],
      messages: [
        question,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: call.id, content: '18 C and sunny' }],
        },
      ],
    });
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content.some((block) => block.type === 'text')).toBe(true);
  });

  it('parses structured output with a zod format', async () => {
    const person = z.object({ name: z.string(), age: z.number() });
    const parsed = await client.messages.parse({
      model,
      max_tokens: 500,
      messages: [{ role: 'user', content: 'Extract the person: Alice is 30 years old.' }],
      output_config: { format: zodOutputFormat(person) },
    });
    expect(person.safeParse(parsed.parsed_output).success).toBe(true);
  });

  it('counts tokens exactly as the message reports them', async () => {
    const body = {
      model,
      system: 'You are terse.',
      messages: [{ role: 'user' as const, content: 'How many tokens is this sentence?' }],
    };
    const counted = await client.messages.countTokens(body);
    const message = await client.messages.create({ ...body, max_tokens: 50 });
    expect(counted.input_tokens).toBe(message.usage.input_tokens);
  });

  it('streams thinking with a signature that verifies when passed back', async () => {
    const params = {
      model,
      max_tokens: 4000,
      thinking: { type: 'enabled' as const, budget_tokens: 2000 },
      tools: [weatherTool],
    };
    const question = { role: 'user' as const, content: 'What is the weather in Lyon?' };
    const stream = client.messages.stream({ ...params, messages: [question] });
    let thinking = '';
    let signature = '';
    stream.on('thinking', (delta) => (thinking += delta));
    stream.on('signature', (value) => (signature = value));
    const first = await stream.finalMessage();
    expect(first.content[0]?.type).toBe('thinking');
    expect(thinking.length).toBeGreaterThan(0);
    expect(signature.length).toBeGreaterThan(10);
    const call = first.content.find((block) => block.type === 'tool_use');
    if (call?.type !== 'tool_use') throw new Error('expected a tool call');
    const followUp = (content: Anthropic.ContentBlockParam[]) =>
      client.messages.create({
        ...params,
        messages: [
          question,
          { role: 'assistant', content },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: call.id, content: '21 C' }],
          },
        ],
      });
    await expect(followUp(first.content)).resolves.toMatchObject({ type: 'message' });
    const tampered = first.content.map((block) =>
      block.type === 'thinking' ? { ...block, thinking: `${block.thinking} (edited)` } : block,
    );
    await expect(followUp(tampered)).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('stops at max_tokens, counting thinking toward the limit', async () => {
    const message = await client.messages.create({
      model,
      max_tokens: 5,
      messages: [{ role: 'user', content: 'Write a long essay about the history of the sea.' }],
    });
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(5);

    const thinking = await client.messages.create({
      model,
      max_tokens: 1100,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'Write a long essay about the history of the sea.' }],
    });
    expect(thinking.usage.output_tokens).toBeLessThanOrEqual(1100);
  });

  it('stops at the earliest stop sequence and names it', async () => {
    const message = await client.messages.create(
      {
        model,
        max_tokens: 100,
        stop_sequences: ['five', 'STOP'],
        messages: [{ role: 'user', content: 'Count for me.' }],
      },
      { headers: { 'x-keel-scenario': 'counting' } },
    );
    expect(message.stop_reason).toBe('stop_sequence');
    expect(message.stop_sequence).toBe('STOP');
    const block = message.content[0];
    expect(block?.type === 'text' && block.text).toBe('one two three ');

    const streamed = await client.messages
      .stream(
        {
          model,
          max_tokens: 100,
          stop_sequences: ['four'],
          messages: [{ role: 'user', content: 'Count for me.' }],
        },
        { headers: { 'x-keel-scenario': 'counting' } },
      )
      .finalMessage();
    expect(streamed.stop_reason).toBe('stop_sequence');
    expect(streamed.stop_sequence).toBe('four');
  });

  it('survives a client hanging up mid-stream and keeps serving', async () => {
    const slow = await startEmulator({
      latency: { timeToFirstTokenMs: 0, outputTokensPerSecond: 50 },
    });
    try {
      const sdk = new Anthropic({ apiKey: 'k', baseURL: slow.url, maxRetries: 0 });
      const stream = sdk.messages.stream({
        model,
        max_tokens: 2000,
        messages: [{ role: 'user', content: 'Write a long essay about the history of the sea.' }],
      });
      // The SDK rejects its own promise on abort; that is the expected outcome here.
      const done = stream.done().catch((error: unknown) => error);
      await new Promise<void>((resolve) => stream.once('text', () => resolve()));
      stream.abort();
      expect(await done).toBeInstanceOf(Anthropic.APIUserAbortError);
      await expect(
        sdk.messages.create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] }),
      ).resolves.toMatchObject({ type: 'message' });
    } finally {
      await slow.close();
    }
  });
});
