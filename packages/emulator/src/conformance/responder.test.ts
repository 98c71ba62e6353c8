import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startEmulator, type EmulatorHandle } from '../index.ts';
import { testImages } from '../messages/test-images.ts';

/** The responder through the official SDK over a real socket. */

const folder = mkdtempSync(join(tmpdir(), 'keel-responder-conformance-'));
const scenarioFile = join(folder, 'support.yaml');
writeFileSync(
  scenarioFile,
  [
    '- name: refund-flow',
    '  match: { userContains: [refund] }',
    '  replies:',
    '    - content:',
    '        - { type: text, text: "Let me look up that order." }',
    '        - { type: tool_use, name: lookup_order, input: { order_id: ORD-9 } }',
    '    - content: Your refund for ORD-9 has been issued.',
    '- name: outage',
    '  forcedOnly: true',
    '  replies:',
    '    - content: Service is degraded right now.',
  ].join('\n'),
);

let emulator: EmulatorHandle;
let client: Anthropic;

beforeAll(async () => {
  emulator = await startEmulator({ scenarios: [scenarioFile] });
  client = new Anthropic({ apiKey: 'test-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(async () => {
  await emulator.close();
  rmSync(folder, { recursive: true, force: true });
});

const tools: Anthropic.Tool[] = [
  {
    name: 'get_weather',
    description: 'Get the current weather for a city',
    input_schema: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['city'],
    },
  },
  {
    name: 'get_local_time',
    description: 'Get the local time in a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
];

function runTool(name: string, input: Record<string, unknown>): string {
  if (name === 'get_weather')
    return JSON.stringify({ city: input.city, temperature: 21, conditions: 'sunny' });
  if (name === 'get_local_time') return JSON.stringify({ city: input.city, time: '18:45' });
  throw new Error(`unknown tool ${name}`);
}

describe('responder through the SDK', () => {
  it('runs a full tool-use round trip with two parallel tools', async () => {
    const messages: Anthropic.MessageParam[] = [
      { role: 'user', content: "What's the weather in Madrid and the local time in Seoul?" },
    ];
    const first = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 500,
      tools,
      messages,
    });
    expect(first.stop_reason).toBe('tool_use');
    const calls = first.content.filter(
      (block): block is Anthropic.ToolUseBlock => block.type === 'tool_use',
    );
    expect(calls.map((call) => [call.name, call.input])).toEqual([
      ['get_weather', { city: 'Madrid' }],
      ['get_local_time', { city: 'Seoul' }],
    ]);
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);

    messages.push({ role: 'assistant', content: first.content });
    messages.push({
      role: 'user',
      content: calls.map((call) => ({
        type: 'tool_result' as const,
        tool_use_id: call.id,
        content: runTool(call.name, call.input as Record<string, unknown>),
      })),
    });
    const final = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 500,
      tools,
      messages,
    });
    expect(final.stop_reason).toBe('end_turn');
    const answer = final.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(answer).toContain(
      'get_weather returned city: Madrid, temperature: 21, conditions: sunny',
    );
    expect(answer).toContain('get_local_time returned city: Seoul, time: 18:45');
  });

  it('streams tool calls whose input deltas rebuild the same arguments', async () => {
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 500,
      tools,
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'Weather in Nairobi, in celsius please' }],
    });
    const message = await stream.finalMessage();
    expect(message.content).toEqual([
      expect.objectContaining({
        type: 'tool_use',
        name: 'get_weather',
        input: { city: 'Nairobi', unit: 'celsius' },
      }),
    ]);
  });

  it('returns a parsed object from messages.parse with zodOutputFormat', async () => {
    const Contact = z.object({
      name: z.string(),
      email: z.email(),
      company: z.string(),
      seats: z.number().int(),
      plan: z.enum(['free', 'team', 'enterprise']),
      interested_in: z.array(z.string()),
    });
    const message = await client.messages.parse({
      model: 'claude-sonnet-4-6',
      max_tokens: 1000,
      output_config: { format: zodOutputFormat(Contact) },
      messages: [
        {
          role: 'user',
          content:
            'Extract the lead: Priya Raman <priya@northwind.example> from "Northwind" wants the team plan for 25 seats.',
        },
      ],
    });
    expect(message.parsed_output).toEqual({
      name: 'Priya Raman',
      email: 'priya@northwind.example',
      company: 'Northwind',
      seats: 25,
      plan: 'team',
      interested_in: expect.any(Array),
    });
  });

  it('returns citations in the SDK shapes', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 500,
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: {
                type: 'text',
                media_type: 'text/plain',
                data: 'The office opens at 9am. Parking is free for visitors.',
              },
              title: 'Visitor guide',
              citations: { enabled: true },
            },
            { type: 'text', text: 'Is visitor parking free?' },
          ],
        },
      ],
    });
    const citations = message.content.flatMap((block) =>
      block.type === 'text' ? (block.citations ?? []) : [],
    );
    expect(citations).toEqual([
      {
        type: 'char_location',
        cited_text: 'Parking is free for visitors.',
        document_index: 0,
        document_title: 'Visitor guide',
        start_char_index: 25,
        end_char_index: 54,
        file_id: null,
      },
    ]);
  });

  it('streams citations as citations_delta events the SDK accumulates', async () => {
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 500,
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: {
                type: 'text',
                media_type: 'text/plain',
                data: 'The office opens at 9am. Parking is free for visitors.',
              },
              title: 'Visitor guide',
              citations: { enabled: true },
            },
            { type: 'text', text: 'Is visitor parking free?' },
          ],
        },
      ],
    });
    const seen: unknown[] = [];
    stream.on('citation', (citation) => seen.push(citation));
    const final = await stream.finalMessage();
    const citations = final.content.flatMap((block) =>
      block.type === 'text' ? (block.citations ?? []) : [],
    );
    expect(seen).toHaveLength(1);
    expect(citations).toEqual([
      expect.objectContaining({ cited_text: 'Parking is free for visitors.' }),
    ]);
  });

  it('plays scenario replies in turn from a scenario file', async () => {
    const tools: Anthropic.Tool[] = [
      {
        name: 'lookup_order',
        input_schema: { type: 'object', properties: { order_id: { type: 'string' } } },
      },
    ];
    const ask = (content: string) =>
      client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 200,
        tools,
        messages: [{ role: 'user', content }],
      });
    const first = await ask('I want a refund');
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content[1]).toMatchObject({
      type: 'tool_use',
      name: 'lookup_order',
      input: { order_id: 'ORD-9' },
    });
    const second = await ask('Any news on my refund?');
    expect(second.content).toEqual([
      { type: 'text', text: 'Your refund for ORD-9 has been issued.' },
    ]);
    const third = await ask('refund?');
    expect(third.content[0]).toMatchObject({ text: 'Your refund for ORD-9 has been issued.' });
  });

  it('forces a scenario with the x-keel-scenario header and rejects unknown names', async () => {
    const body = {
      model: 'claude-sonnet-4-6',
      max_tokens: 200,
      messages: [{ role: 'user' as const, content: 'hello' }],
    };
    const plain = await client.messages.create(body);
    expect(plain.content[0]).not.toMatchObject({ text: 'Service is degraded right now.' });
    const forced = await client.messages.create(body, { headers: { 'x-keel-scenario': 'outage' } });
    expect(forced.content[0]).toMatchObject({
      type: 'text',
      text: 'Service is degraded right now.',
    });
    await expect(
      client.messages.create(body, { headers: { 'x-keel-scenario': 'no-such-scenario' } }),
    ).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('lets a scenario added at run time take over, and clear() hand back to the responder', async () => {
    emulator.state.scenarios.add({
      name: 'pinned',
      match: { userContains: ['pinned'] },
      replies: [{ content: [{ type: 'text', text: 'scripted' }] }],
    });
    const ask = () =>
      client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'pinned question' }],
      });
    expect((await ask()).content[0]).toMatchObject({ text: 'scripted' });
    emulator.state.scenarios.clear();
    expect((await ask()).content[0]).not.toMatchObject({ text: 'scripted' });
  });

  it('thinks first, sized to the budget, and describes attached images', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/png', data: testImages.png(320, 200) },
            },
            { type: 'text', text: 'What does this chart show?' },
          ],
        },
      ],
    });
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    const [thinking, text] = message.content;
    expect(thinking?.type === 'thinking' && thinking.signature.length).toBeGreaterThan(0);
    expect(thinking?.type === 'thinking' && thinking.thinking).toContain('image');
    expect(text?.type === 'text' && text.text).toMatch(
      /^I see a PNG image, 320x200 pixels, \d+ bytes, mostly black\./,
    );
  });

  it('streams a long reply that max_tokens cuts short', async () => {
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 60,
      messages: [{ role: 'user', content: 'Write a detailed essay about tidal energy' }],
    });
    let streamed = '';
    stream.on('text', (delta) => (streamed += delta));
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(60);
    expect(streamed).toContain('Tidal energy');
  });
});
