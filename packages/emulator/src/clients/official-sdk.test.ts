/**
 * The official SDK (`@anthropic-ai/sdk`, the installed version), unmodified, against the
 * emulator as a user's code drives it: what it sends (version, auth, betas), plain and
 * streamed messages, a tool loop, structured output through `messages.parse`, token counting,
 * batches, models, and image and PDF inputs. A recording proxy keeps what the SDK sent.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { VERSION } from '@anthropic-ai/sdk/version';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';
import { testImages } from '../messages/test-images.ts';
import { testPdf } from '../responder/test-pdf.ts';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.ts';

const sdkVersion = VERSION;
const model = 'claude-sonnet-4-6';

const weatherTool: Tool = {
  name: 'get_weather',
  description: 'Get the current weather for a city',
  input_schema: {
    type: 'object',
    properties: { city: { type: 'string', description: 'The city name' } },
    required: ['city'],
  },
};

let emulator: EmulatorHandle;
let proxy: RecordingProxy;
let client: Anthropic;

beforeAll(async () => {
  emulator = await startEmulator({ batchProcessingDelayMs: 0 });
  proxy = await startRecordingProxy(emulator.url);
  client = new Anthropic({ apiKey: 'sk-ant-sdk-test', baseURL: proxy.url, maxRetries: 0 });
});
afterAll(async () => {
  await proxy.close();
  await emulator.close();
});

describe(`the official SDK ${sdkVersion} against the emulator`, () => {
  it('sends its own API version and Bearer auth, and gets a message back', async () => {
    const since = proxy.requests.length;
    const message = await client.messages.create({
      model,
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    expect(message).toMatchObject({ type: 'message', role: 'assistant', model });
    expect(message.stop_reason).toBe('end_turn');
    expect(message.content[0]?.type).toBe('text');
    expect(message.usage.input_tokens).toBeGreaterThan(0);

    const sent = proxy.requests[since]!;
    expect(sent.headers['anthropic-version']).toBe('2026-10-21');
    expect(sent.headers.authorization).toBe('Bearer sk-ant-sdk-test');
    expect(sent.headers['user-agent']).toContain(sdkVersion);
  });

  it('streams: text deltas add up to the final message', async () => {
    const stream = client.messages.stream({
      model,
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Tell me about lighthouses' }],
    });
    let text = '';
    stream.on('text', (delta) => (text += delta));
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text });
    expect(text.length).toBeGreaterThan(0);
  });

  it('runs a tool loop, plain and streamed: the call fits the question, the answer the result', async () => {
    for (const streamed of [false, true]) {
      const messages: MessageParam[] = [{ role: 'user', content: "What's the weather in Paris?" }];
      const ask = () =>
        streamed
          ? client.messages
              .stream({ model, max_tokens: 512, tools: [weatherTool], messages })
              .finalMessage()
          : client.messages.create({ model, max_tokens: 512, tools: [weatherTool], messages });
      const first = await ask();
      expect(first.stop_reason).toBe('tool_use');
      const call = first.content.find((block) => block.type === 'tool_use');
      expect(call).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } });
      messages.push({ role: 'assistant', content: first.content });
      messages.push({
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: call!.id, content: 'Sunny, 24 degrees.' }],
      });
      const final = await ask();
      expect(final.stop_reason).toBe('end_turn');
      expect(
        final.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
      ).toContain('Sunny, 24 degrees.');
    }
  });

  it('structured output: messages.parse returns an object matching the schema', async () => {
    const parsed = await client.messages.parse({
      model,
      max_tokens: 512,
      messages: [{ role: 'user', content: 'Ada Lovelace is 36 years old.' }],
      output_config: {
        format: {
          type: 'json_schema',
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, age: { type: 'integer' } },
            required: ['name', 'age'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(parsed.parsed_output).toEqual({ name: 'Ada Lovelace', age: 36 });
  });

  it('counts tokens for the same request it sends, tools included', async () => {
    const plain = await client.messages.countTokens({
      model,
      messages: [{ role: 'user', content: "What's the weather in Paris?" }],
    });
    const withTools = await client.messages.countTokens({
      model,
      tools: [weatherTool],
      messages: [{ role: 'user', content: "What's the weather in Paris?" }],
    });
    expect(plain.input_tokens).toBeGreaterThan(0);
    expect(withTools.input_tokens).toBeGreaterThan(plain.input_tokens);
  });

  it('batches: create, wait for the end, read JSONL results by custom_id', async () => {
    const batch = await client.messages.batches.create({
      requests: [
        {
          custom_id: 'greeting',
          params: { model, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] },
        },
        {
          custom_id: 'weather',
          params: {
            model,
            max_tokens: 256,
            tools: [weatherTool],
            messages: [{ role: 'user', content: "What's the weather in Lyon?" }],
          },
        },
      ],
    });
    let current = batch;
    for (let attempt = 0; attempt < 400 && current.processing_status !== 'ended'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      current = await client.messages.batches.retrieve(batch.id);
    }
    expect(current.request_counts).toMatchObject({ succeeded: 2, errored: 0 });
    const results = new Map<string, unknown>();
    for await (const line of await client.messages.batches.results(batch.id))
      results.set(line.custom_id, line.result);
    expect(results.get('greeting')).toMatchObject({ type: 'succeeded' });
    expect(results.get('weather')).toMatchObject({
      type: 'succeeded',
      message: { stop_reason: 'tool_use' },
    });
  });

  it('lists and retrieves models', async () => {
    const page = await client.models.list({ limit: 100 });
    expect(page.data.map((entry) => entry.id)).toContain(model);
    expect(await client.models.retrieve(model)).toMatchObject({ id: model, type: 'model' });
  });

  it('answers an image by what its bytes say and a PDF from its text', async () => {
    const image = await client.messages.create({
      model,
      max_tokens: 256,
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/png', data: testImages.png(64, 48) },
            },
            { type: 'text', text: 'What is this image?' },
          ],
        },
      ],
    });
    expect(image.content[0]).toMatchObject({
      type: 'text',
      text: expect.stringContaining('64x48'),
    });

    const pdf = await client.messages.create({
      model,
      max_tokens: 256,
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: {
                type: 'base64',
                media_type: 'application/pdf',
                data: testPdf([['Invoice 2041.', 'Total due: 1,250 EUR by 31 January 2027.']]),
              },
            },
            { type: 'text', text: 'What is the total due?' },
          ],
        },
      ],
    });
    const answer = pdf.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(answer).toContain('Total due: 1,250 EUR by 31 January 2027.');
  });
});
