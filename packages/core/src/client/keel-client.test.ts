import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../call/call-record.ts';
import { CallAbortedError } from './call-aborted-error.ts';
import { createKeel } from './create-keel.ts';
import { rawStreamEvents } from './keel-caller.ts';
import type { KeelStreamEvent } from './stream-events.ts';
import { TruncatedOutputError } from './truncated-output-error.ts';

let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator({
    scenarios: [
      {
        name: 'weather-tool',
        match: { userContains: ['weather in paris'] },
        replies: [
          {
            content: [
              { type: 'thinking', thinking: 'The user wants the weather; I should call the tool.' },
              { type: 'text', text: 'Let me check.' },
              { type: 'tool_use', name: 'get_weather', input: { city: 'Paris', unit: 'celsius' } },
            ],
          },
        ],
      },
    ],
  });
});
afterAll(async () => {
  await emulator.close();
});

function keel(records: CallRecord[] = []) {
  return createKeel({
    apiKey: 'test-key',
    baseURL: emulator.url,
    logger: false,
    recorders: [{ record: (record) => void records.push(record) }],
  });
}

const hello = {
  model: 'claude-sonnet-4-6',
  max_tokens: 200,
  messages: [{ role: 'user' as const, content: 'Hello there, emulator' }],
};

describe('KeelClient.call', () => {
  it('returns the message with usage, exact cost, serving model and tags', async () => {
    const records: CallRecord[] = [];
    const client = keel(records);
    const result = await client.call(hello, {
      tags: {
        feature: 'greeting',
        user: 'u-1',
        session: 's-1',
        promptId: 'hello',
        promptVersion: '3',
      },
    });
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.outcome).toBe('complete');
    expect(result.truncated).toBe(false);
    expect(result.modelRequested).toBe('claude-sonnet-4-6');
    expect(result.modelServed).toBe('claude-sonnet-4-6');
    expect(result.fallbackUsed).toBe(false);
    expect(result.retries).toBe(0);
    expect(result.requestId).toMatch(/^req_/);
    expect(result.usage.input).toBe(result.message.usage.input_tokens);
    expect(result.usage.output).toBe(result.message.usage.output_tokens);
    expect(result.cost.priced).toBe(true);
    if (!result.cost.priced) throw new Error('unpriced');
    // Sonnet 4.6: $3 / MTok input, $15 / MTok output, no cache tokens here.
    const expected = (result.usage.input * 3 + result.usage.output * 15) / 1e6;
    expect(result.cost.usd).toBeCloseTo(expected, 12);
    // Recording happens off the call's critical path; flush() writes it out.
    await client.flush();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      status: 'success',
      modelServed: 'claude-sonnet-4-6',
      requestId: result.requestId,
      tags: {
        feature: 'greeting',
        user: 'u-1',
        session: 's-1',
        promptId: 'hello',
        promptVersion: '3',
      },
    });
  });

  it('routes by task when no model is given', async () => {
    const client = keel();
    const result = await client.call({
      task: 'classification',
      max_tokens: 50,
      messages: hello.messages,
    });
    expect(result.modelRequested).toBe('claude-haiku-5-5');
    expect(result.message.model).toBe('claude-haiku-5-5');
    expect(client.route({ task: 'something-new' }).model).toBe('claude-sonnet-5-5');
  });

  it('makes truncation impossible to miss: an error by default, a flagged result on request', async () => {
    const client = keel();
    const request = { ...hello, max_tokens: 2 };
    const error = await client.call(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TruncatedOutputError);
    const truncated = error as TruncatedOutputError;
    expect(truncated.code).toBe('output_truncated');
    expect(truncated.details.maxTokens).toBe(2);
    expect(truncated.result.usage.output).toBe(2);

    const result = await client.call(request, { onTruncation: 'return' });
    expect(result.truncated).toBe(true);
    expect(result.outcome).toBe('truncated');
    expect(result.stopReason).toBe('max_tokens');
  });

  it('counts tokens locally and through the API', async () => {
    const client = keel();
    const local = await client.countTokens(hello, { mode: 'local' });
    const api = await client.countTokens(hello, { mode: 'api' });
    expect(local.source).toBe('local');
    expect(local.inputTokens).toBeGreaterThan(0);
    expect(api.source).toBe('api');
    const served = await client.call(hello);
    expect(api.inputTokens).toBe(served.usage.totalInput);
  });
});

describe('KeelClient.stream', () => {
  it('yields typed events in order and finishes with the same result as call()', async () => {
    const records: CallRecord[] = [];
    const client = keel(records);
    const stream = client.stream(hello, { tags: { feature: 'stream-test' } });
    const events: KeelStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('message-start');
    expect(types[1]).toBe('content-block-start');
    expect(types).toContain('text-delta');
    expect(types.at(-2)).toBe('content-block-stop');
    expect(types.at(-1)).toBe('finish');
    const text = events
      .flatMap((event) => (event.type === 'text-delta' ? [event.text] : []))
      .join('');
    const finish = events.at(-1);
    if (finish?.type !== 'finish') throw new Error('no finish event');
    expect(finish.result.text).toBe(text);
    expect(finish.result.cost.priced).toBe(true);
    expect(finish.result.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect((await stream.finalMessage()).id).toBe(finish.result.message.id);
    await client.flush();
    expect(records).toMatchObject([
      { status: 'success', stream: true, tags: { feature: 'stream-test' } },
    ]);
  });

  it('streams thinking, text and tool input as typed events', async () => {
    const stream = keel().stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 2000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools: [
        {
          name: 'get_weather',
          description: 'Weather for a city',
          input_schema: {
            type: 'object',
            properties: { city: { type: 'string' }, unit: { type: 'string' } },
          },
        },
      ],
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    });
    const events: KeelStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const thinking = events.flatMap((event) =>
      event.type === 'thinking-delta' ? [event.thinking] : [],
    );
    const json = events.flatMap((event) =>
      event.type === 'tool-input-delta' ? [event.partialJson] : [],
    );
    expect(thinking.join('')).toBe('The user wants the weather; I should call the tool.');
    expect(JSON.parse(json.join(''))).toEqual({ city: 'Paris', unit: 'celsius' });
    const stops = events.flatMap((event) =>
      event.type === 'content-block-stop' ? [event.block] : [],
    );
    expect(stops.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(stops[2]).toMatchObject({
      name: 'get_weather',
      input: { city: 'Paris', unit: 'celsius' },
    });
    const result = await stream.result();
    expect(result.outcome).toBe('tool_use');
  });

  it('streams citations of a cited document as typed events, and as raw ones to blocks', async () => {
    const request = {
      model: 'claude-sonnet-4-6',
      max_tokens: 300,
      messages: [
        {
          role: 'user' as const,
          content: [
            {
              type: 'document' as const,
              source: {
                type: 'text' as const,
                media_type: 'text/plain' as const,
                data: 'Refunds are processed within fourteen business days.',
              },
              title: 'billing',
              citations: { enabled: true },
            },
            { type: 'text' as const, text: 'How long do refunds take?' },
          ],
        },
      ],
    };
    const events: KeelStreamEvent[] = [];
    const stream = keel().stream(request);
    for await (const event of stream) events.push(event);
    const citations = events.filter((event) => event.type === 'citation-delta');
    expect(citations.length).toBeGreaterThan(0);
    expect(citations[0]!.citation).toMatchObject({
      type: 'char_location',
      cited_text: expect.stringContaining('fourteen business days'),
      document_index: 0,
    });
    // The final message carries the same citations on its text block.
    const block = (await stream.finalMessage()).content.find(
      (candidate) => candidate.type === 'text' && candidate.citations,
    );
    expect(block).toBeDefined();
    // Blocks reading the raw wire events through keelCaller see citations_delta.
    const raw = citations.flatMap((event) => rawStreamEvents(event));
    expect(raw[0]).toMatchObject({
      type: 'content_block_delta',
      delta: { type: 'citations_delta', citation: citations[0]!.citation },
    });
  });

  it('finalMessage() consumes the stream on its own', async () => {
    const message = await keel().stream(hello).finalMessage();
    expect(message.stop_reason).toBe('end_turn');
  });

  it('records partial usage when the consumer aborts mid-stream', async () => {
    const records: CallRecord[] = [];
    const controller = new AbortController();
    const client = keel(records);
    const stream = client.stream(
      { ...hello, messages: [{ role: 'user', content: 'word '.repeat(150) }], max_tokens: 1000 },
      { signal: controller.signal },
    );
    let deltas = 0;
    const error = await (async () => {
      for await (const event of stream) {
        if (event.type === 'text-delta' && ++deltas === 3) controller.abort();
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CallAbortedError);
    const aborted = error as CallAbortedError;
    expect(aborted.details.usage?.partial).toBe(true);
    expect(aborted.details.usage?.input).toBeGreaterThan(0);
    expect(aborted.details.partialText.length).toBeGreaterThan(0);
    expect(aborted.cost?.partial).toBe(true);
    await client.flush();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'aborted', errorCode: 'call_aborted' });
    expect(records[0]!.usage?.input).toBeGreaterThan(0);
  });

  it('records usage when the consumer leaves the loop early', async () => {
    const records: CallRecord[] = [];
    const client = keel(records);
    const stream = client.stream({
      ...hello,
      messages: [{ role: 'user', content: 'word '.repeat(150) }],
      max_tokens: 1000,
    });
    for await (const event of stream) if (event.type === 'text-delta') break;
    await client.flush();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'aborted' });
    expect(records[0]!.usage?.partial).toBe(true);
  });

  it('turns max_tokens into a TruncatedOutputError at the end of a stream', async () => {
    const stream = keel().stream({ ...hello, max_tokens: 2 });
    const error = await stream.finalMessage().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TruncatedOutputError);
  });
});
