import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';

/**
 * How the 5.x models think around tool calls, through the official SDK over a real socket, plain
 * and streamed (the stream's final message must equal the plain body):
 * - on Claude Opus 5.5, Sonnet 5.5 and Fable 5.1, text between tool calls comes back in `thinking`
 *   blocks, empty at the default display (https://platform.claude.com/docs/en/models/opus-5-5/whats-new-opus-5-5,
 *   https://platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5);
 * - `display` defaults to `omitted` on Opus 4.7 and later, `summarized` on 4.6 and earlier;
 * - Sonnet 5.5 turns up-front thinking off with `thinking: {type: "between_tools"}` (not
 *   `"disabled"`, a 400), at effort low to high only; its progress updates keep their text.
 */

const preface = 'Let me check the forecast for Paris first.';

const scenarios = [
  {
    name: 'preface-then-call',
    forcedOnly: true,
    replies: [
      {
        content: [
          { type: 'text' as const, text: preface },
          {
            type: 'tool_use' as const,
            id: 'toolu_01fixedweather',
            name: 'get_weather',
            input: { city: 'Paris' },
          },
        ],
      },
    ],
  },
];

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Get the weather forecast for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

let emulator: EmulatorHandle;
let client: Anthropic;

beforeAll(async () => {
  emulator = await startEmulator({ scenarios });
  client = new Anthropic({ apiKey: 'between-tools-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

type Body = Anthropic.MessageCreateParamsNonStreaming;

const question = 'What will the weather be in Paris?';

/** The same request plain and streamed: both messages and the streamed deltas. */
async function plainAndStreamed(body: Body, scenario?: string) {
  const options = scenario ? { headers: { 'x-keel-scenario': scenario } } : {};
  const plain = await client.messages.create(body, options);
  const events: Anthropic.MessageStreamEvent[] = [];
  const stream = client.messages.stream(body, options);
  stream.on('streamEvent', (event) => events.push(event));
  const streamed = await stream.finalMessage();
  const { id: _plainId, ...plainRest } = plain;
  const {
    id: _streamedId,
    parsed_output: _parsed,
    ...streamedRest
  } = streamed as Anthropic.Message & {
    parsed_output?: unknown;
  };
  expect(JSON.parse(JSON.stringify(streamedRest))).toEqual(JSON.parse(JSON.stringify(plainRest)));
  return { plain, events };
}

const toolCall = (model: string, thinking?: Anthropic.ThinkingConfigParam): Body => ({
  model,
  max_tokens: 500,
  tools: [weatherTool],
  messages: [{ role: 'user', content: question }],
  ...(thinking ? { thinking } : {}),
});

async function expect400(promise: Promise<unknown>, message: string | RegExp) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Anthropic.BadRequestError);
  const text = String(
    (error as { error?: { error?: { message?: unknown } } }).error?.error?.message,
  );
  if (typeof message === 'string') expect(text).toContain(message);
  else expect(text).toMatch(message);
}

describe('text between tool calls', () => {
  it('comes back as an empty, signed thinking block at Opus 5.5 default display', async () => {
    const { plain, events } = await plainAndStreamed(
      toolCall('claude-opus-5-5'),
      'preface-then-call',
    );
    expect(plain.content.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    const update = plain.content[0];
    if (update?.type !== 'thinking') throw new Error('expected a thinking block');
    expect(update.thinking).toBe('');
    expect(update.signature.length).toBeGreaterThan(20);
    // An app that streams text between tool calls hears nothing: no text or thinking deltas.
    const spoken = events.filter(
      (event) =>
        event.type === 'content_block_delta' &&
        (event.delta.type === 'text_delta' || event.delta.type === 'thinking_delta'),
    );
    expect(spoken).toEqual([]);
    // Still generated and billed, as thinking.
    expect(plain.usage.output_tokens_details?.thinking_tokens).toBeGreaterThan(0);
    expect(plain.stop_reason).toBe('tool_use');
  });

  it('returns its text with display "summarized", streamed as thinking deltas', async () => {
    const { plain, events } = await plainAndStreamed(
      toolCall('claude-opus-5-5', { type: 'adaptive', display: 'summarized' }),
      'preface-then-call',
    );
    expect(plain.content[0]).toMatchObject({ type: 'thinking', thinking: preface });
    const thought = events
      .flatMap((event) =>
        event.type === 'content_block_delta' && event.delta.type === 'thinking_delta'
          ? [event.delta.thinking]
          : [],
      )
      .join('');
    expect(thought).toBe(preface);
  });

  it('stays a text block on a model that does not move it (Claude Opus 4.6)', async () => {
    const { plain } = await plainAndStreamed(toolCall('claude-opus-4-6'), 'preface-then-call');
    expect(plain.content[0]).toEqual({ type: 'text', text: preface });
    expect(plain.content[1]?.type).toBe('tool_use');
  });

  it('can be passed back empty with its tool call and the tool result', async () => {
    const body = toolCall('claude-opus-5-5');
    const first = await client.messages.create(body, {
      headers: { 'x-keel-scenario': 'preface-then-call' },
    });
    const call = first.content[1];
    if (call?.type !== 'tool_use') throw new Error('expected a tool call');
    const next = await client.messages.create({
      ...body,
      messages: [
        ...body.messages,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: call.id, content: 'Sunny, 24°C.' }],
        },
      ],
    });
    expect(next.stop_reason).toBe('end_turn');
  });
});

describe('display "updates" (beta thinking-display-updates-2026-08-18)', () => {
  const betas = ['thinking-display-updates-2026-08-18'];
  const body = (
    display: 'updates' | 'omitted',
  ): Anthropic.Beta.MessageCreateParamsNonStreaming => ({
    model: 'claude-opus-5-5',
    max_tokens: 2000,
    tools: [weatherTool],
    thinking: { type: 'adaptive', display },
    messages: [{ role: 'user', content: question }],
  });

  it('returns the progress update as text and keeps the reasoning hidden', async () => {
    const options = { headers: { 'x-keel-scenario': 'preface-then-call' } };
    const plain = await client.beta.messages.create({ ...body('updates'), betas }, options);
    expect(plain.content.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    expect(plain.content[0]).toMatchObject({ type: 'thinking', thinking: preface });
    const streamed = await client.beta.messages
      .stream({ ...body('updates'), betas }, options)
      .finalMessage();
    expect(streamed.content).toEqual(plain.content);
    // Without a tool call, the up-front reasoning stays empty.
    const reasoning = await client.beta.messages.create({
      ...body('updates'),
      tools: [],
      messages: [{ role: 'user', content: 'Why is the sky blue?' }],
      betas,
    });
    expect(reasoning.content[0]).toMatchObject({ type: 'thinking', thinking: '' });
  });

  it('is refused without its beta, as an unknown display value', async () => {
    await expect400(
      client.beta.messages.create(body('updates')),
      "thinking.adaptive.display: Input should be 'summarized' or 'omitted'",
    );
  });
});

describe('default thinking display', () => {
  const ask = (model: string): Body => ({
    model,
    max_tokens: 2000,
    thinking: { type: 'adaptive' },
    messages: [{ role: 'user', content: 'Why is the sky blue?' }],
  });

  it('is omitted on Opus 5.5: the thinking block is empty but billed', async () => {
    const { plain } = await plainAndStreamed(ask('claude-opus-5-5'));
    const thinking = plain.content[0];
    if (thinking?.type !== 'thinking') throw new Error('expected a thinking block');
    expect(thinking.thinking).toBe('');
    expect(plain.usage.output_tokens_details?.thinking_tokens).toBeGreaterThan(0);
  });

  it('is summarized on Sonnet 4.6', async () => {
    const { plain } = await plainAndStreamed(ask('claude-sonnet-4-6'));
    const thinking = plain.content[0];
    if (thinking?.type !== 'thinking') throw new Error('expected a thinking block');
    expect(thinking.thinking.length).toBeGreaterThan(0);
  });
});

describe('thinking: {type: "between_tools"}', () => {
  it('answers without thinking on Sonnet 5.5 when no tool is called', async () => {
    const { plain } = await plainAndStreamed({
      model: 'claude-sonnet-5-5',
      max_tokens: 500,
      thinking: { type: 'between_tools' },
      messages: [{ role: 'user', content: 'Say hello.' }],
    });
    expect(plain.content.map((block) => block.type)).toEqual(['text']);
    expect(plain.usage.output_tokens_details?.thinking_tokens).toBe(0);
  });

  it('keeps the progress update before a tool call as a thinking block with its text', async () => {
    const { plain } = await plainAndStreamed(
      toolCall('claude-sonnet-5-5', { type: 'between_tools' }),
      'preface-then-call',
    );
    expect(plain.content.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    expect(plain.content[0]).toMatchObject({ type: 'thinking', thinking: preface });
  });

  it('is refused at effort xhigh and max, and on models other than Sonnet 5.5', async () => {
    for (const effort of ['xhigh', 'max'] as const) {
      await expect400(
        client.messages.create({
          ...toolCall('claude-sonnet-5-5', { type: 'between_tools' }),
          output_config: { effort },
        }),
        `"thinking.type.between_tools" is not supported with "output_config.effort" "${effort}"`,
      );
    }
    await client.messages.create({
      ...toolCall('claude-sonnet-5-5', { type: 'between_tools' }),
      output_config: { effort: 'low' },
    });
    for (const model of ['claude-opus-5-5', 'claude-sonnet-5', 'claude-sonnet-4-6']) {
      await expect400(
        client.messages.create(toolCall(model, { type: 'between_tools' })),
        '"thinking.type.between_tools" is not supported for this model.',
      );
    }
  });

  it('is listed as a thinking type of Sonnet 5.5 only, which cannot disable thinking', async () => {
    const sonnet = await client.models.retrieve('claude-sonnet-5-5');
    expect(sonnet.capabilities?.thinking.types).toMatchObject({
      between_tools: { supported: true },
      disabled: { supported: false },
    });
    const opus = await client.models.retrieve('claude-opus-5-5');
    expect(opus.capabilities?.thinking.types.between_tools).toEqual({ supported: false });
  });
});
