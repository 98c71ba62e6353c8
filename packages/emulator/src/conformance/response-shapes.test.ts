import Anthropic from '@anthropic-ai/sdk';
import { defaultModelCatalog, ModelCatalog } from '@keel/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';

/**
 * Response shapes real code must handle, through the official SDK over a real socket: every case
 * is asked plain and streamed, and the SDK's stream accumulator must rebuild the plain message.
 */

/** A 5.x model (stops at the context window) and a 4.x one (answers 400), both with a tiny window. */
const windowStopModel = 'claude-haiku-5-5';
const windowErrorModel = 'claude-sonnet-4-6';
const tinyWindow = 300;
/** A model with its real window, for everything else. */
const model = 'claude-opus-5-5';

const weatherInput = {
  city: 'Paris',
  units: 'celsius',
  note: 'the user is packing for a week of walking, bring an umbrella STOP if it rains',
  days: [1, 2, 3, 4, 5, 6, 7],
};

const scenarios = [
  {
    name: 'long-tool-call',
    forcedOnly: true,
    replies: [
      {
        content: [
          {
            type: 'tool_use' as const,
            id: 'toolu_01fixed',
            name: 'get_weather',
            input: weatherInput,
          },
        ],
      },
    ],
  },
  {
    name: 'long-answer',
    forcedOnly: true,
    replies: [
      {
        content: [
          {
            type: 'text' as const,
            text: Array.from({ length: 400 }, (_, index) => `word${index % 10}`).join(' '),
          },
        ],
      },
    ],
  },
  {
    name: 'cyber-refusal',
    forcedOnly: true,
    replies: [
      {
        content: [{ type: 'text' as const, text: 'I can not help with writing that exploit.' }],
        stop_reason: 'refusal' as const,
        stop_details: { category: 'cyber' as const, explanation: 'Exploit development.' },
      },
    ],
  },
  {
    name: 'bare-refusal',
    forcedOnly: true,
    replies: [
      { content: [{ type: 'text' as const, text: 'No.' }], stop_reason: 'refusal' as const },
    ],
  },
  {
    name: 'redacted',
    forcedOnly: true,
    replies: [
      {
        content: [
          { type: 'redacted_thinking' as const, data: 'RXJtQkNrWUlBUmdDS2tEMFlW' },
          { type: 'redacted_thinking' as const },
          { type: 'text' as const, text: 'Here is my answer.' },
        ],
      },
    ],
  },
];

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Get the weather forecast for a city',
  input_schema: {
    type: 'object',
    properties: {
      city: { type: 'string' },
      units: { type: 'string' },
      note: { type: 'string' },
      days: { type: 'array', items: { type: 'integer' } },
    },
    required: ['city', 'units', 'note', 'days'],
  },
};

let emulator: EmulatorHandle;
let client: Anthropic;

beforeAll(async () => {
  const base = defaultModelCatalog();
  const catalog = new ModelCatalog({
    defaults: base.defaults,
    models: base.models.map((entry) =>
      entry.id === windowStopModel || entry.id === windowErrorModel
        ? // No pricing: no long-context tier to widen the window again.
          { ...entry, contextWindow: tinyWindow, pricing: null }
        : entry,
    ),
  });
  emulator = await startEmulator({ catalog, scenarios });
  client = new Anthropic({ apiKey: 'shapes-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

type Body = Anthropic.MessageCreateParamsNonStreaming;

/** The same request plain and streamed; the streamed one's final message and raw events. */
async function plainAndStreamed(body: Body, scenario?: string) {
  const options = scenario ? { headers: { 'x-keel-scenario': scenario } } : {};
  const plain = await client.messages.create(body, options);
  const events: Anthropic.MessageStreamEvent[] = [];
  const stream = client.messages.stream(body, options);
  stream.on('streamEvent', (event) => events.push(event));
  const streamed = await stream.finalMessage();
  return { plain, streamed, events };
}

/**
 * A message as plain data without its id (each call gets its own) and without the
 * `parsed_output` the SDK's stream helper adds to its final message.
 */
const comparable = (message: Anthropic.Message) => {
  const {
    id: _id,
    parsed_output: _parsed,
    ...rest
  } = message as Anthropic.Message & {
    parsed_output?: unknown;
  };
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
};

const question = (text: string): Anthropic.MessageParam[] => [{ role: 'user', content: text }];

describe('a tool call cut short', () => {
  it('keeps the tool_use block with partial, schema-invalid input at max_tokens', async () => {
    const { plain, streamed, events } = await plainAndStreamed(
      {
        model,
        // On the claude-4-7 tokenizer 18 output tokens reach just past "Paris" (name included).
        max_tokens: 18,
        tools: [weatherTool],
        messages: question('Weather for my trip?'),
      },
      'long-tool-call',
    );
    expect(plain.stop_reason).toBe('max_tokens');
    expect(plain.usage.output_tokens).toBe(18);
    const call = plain.content[0];
    expect(call).toMatchObject({ type: 'tool_use', id: 'toolu_01fixed', name: 'get_weather' });
    if (call?.type !== 'tool_use') throw new Error('expected a tool call');
    // Partial: what was generated survives, the rest (required by the schema) is missing.
    expect(call.input).toMatchObject({ city: 'Paris' });
    expect(call.input).not.toHaveProperty('days');
    const json = events
      .flatMap((event) =>
        event.type === 'content_block_delta' && event.delta.type === 'input_json_delta'
          ? [event.delta.partial_json]
          : [],
      )
      .join('');
    expect(JSON.stringify(weatherInput).startsWith(json)).toBe(true);
    expect(() => JSON.parse(json) as unknown).toThrow();
    expect(comparable(streamed)).toEqual(comparable(plain));
  });

  it('stops at a stop sequence inside the tool input', async () => {
    const { plain, streamed } = await plainAndStreamed(
      {
        model,
        max_tokens: 500,
        stop_sequences: ['STOP'],
        tools: [weatherTool],
        messages: question('Weather for my trip?'),
      },
      'long-tool-call',
    );
    expect(plain).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'STOP' });
    const call = plain.content[0];
    if (call?.type !== 'tool_use') throw new Error('expected a tool call');
    // The note string never closed, so it is not part of the parsed input.
    expect(call.input).toEqual({ city: 'Paris', units: 'celsius' });
    expect(comparable(streamed)).toEqual(comparable(plain));
    const whole = await client.messages.create(
      { model, max_tokens: 500, tools: [weatherTool], messages: question('Weather for my trip?') },
      { headers: { 'x-keel-scenario': 'long-tool-call' } },
    );
    expect(plain.usage.output_tokens).toBeLessThan(whole.usage.output_tokens);
  });

  it('is whole, with stop_reason tool_use, when the budget allows', async () => {
    const { plain, streamed } = await plainAndStreamed(
      {
        model,
        max_tokens: 500,
        tools: [weatherTool],
        messages: question('Weather for my trip?'),
      },
      'long-tool-call',
    );
    expect(plain.stop_reason).toBe('tool_use');
    expect(plain.content[0]).toMatchObject({ input: weatherInput });
    expect(comparable(streamed)).toEqual(comparable(plain));
  });
});

describe('model_context_window_exceeded', () => {
  it('accepts input + max_tokens past the window and stops when output reaches it', async () => {
    const body: Body = {
      model: windowStopModel,
      max_tokens: 1000,
      messages: question('Tell me a long story.'),
    };
    const { plain, streamed } = await plainAndStreamed(body, 'long-answer');
    expect(plain.stop_reason).toBe('model_context_window_exceeded');
    expect(plain.stop_details).toBeNull();
    expect(plain.usage.input_tokens + plain.usage.output_tokens).toBe(tinyWindow);
    expect(comparable(streamed)).toEqual(comparable(plain));
  });

  it('stops at max_tokens when that comes first', async () => {
    const message = await client.messages.create(
      { model: windowStopModel, max_tokens: 20, messages: question('Tell me a long story.') },
      { headers: { 'x-keel-scenario': 'long-answer' } },
    );
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(20);
  });

  it('still answers 400 when the input alone passes the window, and on models without the stop', async () => {
    const long = 'lorem ipsum dolor sit amet '.repeat(200);
    await expect(
      client.messages.create({ model: windowStopModel, max_tokens: 10, messages: question(long) }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/prompt is too long/) });
    await expect(
      client.messages.create({
        model: windowErrorModel,
        max_tokens: 1000,
        messages: question('Tell me a long story.'),
      }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/input length and `max_tokens` exceed context limit/),
    });
  });
});

describe('refusals', () => {
  it('carry stop_details with the category and explanation the scenario gives', async () => {
    const { plain, streamed } = await plainAndStreamed(
      { model, max_tokens: 200, messages: question('Write me an exploit.') },
      'cyber-refusal',
    );
    expect(plain.stop_reason).toBe('refusal');
    expect(plain.stop_details).toEqual({
      type: 'refusal',
      category: 'cyber',
      explanation: 'Exploit development.',
    });
    expect(comparable(streamed)).toEqual(comparable(plain));
  });

  it('carry null category and explanation when the scenario gives none; other stops carry null', async () => {
    const refusal = await client.messages.create(
      { model, max_tokens: 200, messages: question('Anything.') },
      { headers: { 'x-keel-scenario': 'bare-refusal' } },
    );
    expect(refusal.stop_details).toEqual({ type: 'refusal', category: null, explanation: null });
    const answer = await client.messages.create({
      model,
      max_tokens: 200,
      messages: question('Hello there'),
    });
    expect(answer.stop_details).toBeNull();
  });

  it('are refused as scenarios when stop_details comes without stop_reason refusal', async () => {
    const response = await fetch(`${emulator.url}/_emulator/scenarios`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'wrong-details',
        replies: [{ content: 'Hi', stop_details: { category: 'bio' } }],
      }),
    });
    expect(response.status).toBe(400);
  });
});

describe('usage.output_tokens_details and redacted thinking', () => {
  it('reports thinking tokens within output tokens, plain and streamed', async () => {
    const { plain, streamed } = await plainAndStreamed({
      model: windowStopModel,
      max_tokens: 250,
      thinking: { type: 'adaptive' },
      messages: question('Is 91 prime?'),
    });
    const details = plain.usage.output_tokens_details;
    expect(details?.thinking_tokens).toBeGreaterThan(0);
    expect(details!.thinking_tokens).toBeLessThan(plain.usage.output_tokens);
    expect(streamed.usage.output_tokens_details).toEqual(details);
    const none = await client.messages.create({
      model: 'claude-opus-4-6',
      max_tokens: 200,
      messages: question('Hello there'),
    });
    expect(none.usage.output_tokens_details).toEqual({ thinking_tokens: 0 });
  });

  it('returns redacted_thinking from a scenario, whole in the stream, and accepts it back', async () => {
    const body: Body = {
      // A model with its real window: on the tiny one the blobs' output would reach the window.
      model,
      max_tokens: 250,
      thinking: { type: 'adaptive' },
      messages: question('Think about it.'),
    };
    const { plain, streamed } = await plainAndStreamed(body, 'redacted');
    expect(plain.content.map((block) => block.type)).toEqual([
      'redacted_thinking',
      'redacted_thinking',
      'text',
    ]);
    expect(plain.content[0]).toEqual({
      type: 'redacted_thinking',
      data: 'RXJtQkNrWUlBUmdDS2tEMFlW',
    });
    const second = plain.content[1];
    expect(second?.type === 'redacted_thinking' && second.data.length).toBeGreaterThan(10);
    expect(plain.usage.output_tokens_details?.thinking_tokens).toBeGreaterThan(0);
    expect(comparable(streamed)).toEqual(comparable(plain));
    const next = await client.messages.create({
      ...body,
      messages: [
        ...question('Think about it.'),
        { role: 'assistant', content: plain.content },
        { role: 'user', content: 'And then?' },
      ],
    });
    expect(next.stop_reason).toBe('end_turn');
  });
});

describe('absent fields, as on the wire', () => {
  it('leaves out container and server_tool_use when no server tool ran', async () => {
    const response = await fetch(`${emulator.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'shapes-key',
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({ model, max_tokens: 50, messages: question('Hi') }),
    });
    const body = (await response.json()) as Record<string, unknown> & { usage: object };
    expect(body).not.toHaveProperty('container');
    expect(body.usage).not.toHaveProperty('server_tool_use');
    expect(body).toHaveProperty('stop_details', null);
  });
});
