import { describe, expect, it } from 'vitest';
import type { MessageResponse } from './response-types.ts';
import { streamEvents } from './stream-events.ts';

const message: MessageResponse = {
  id: 'msg_01test',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-6',
  content: [
    {
      type: 'thinking',
      thinking: 'Plan: look the city up, then answer briefly.',
      signature: 'c2ln',
    },
    { type: 'text', text: 'Let me check the weather in Paris for you.  ' },
    {
      type: 'tool_use',
      id: 'toolu_01x',
      name: 'get_weather',
      input: { city: 'Paris', unit: 'celsius' },
      caller: { type: 'direct' },
    },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  stop_details: null,
  usage: {
    input_tokens: 120,
    output_tokens: 40,
    cache_creation_input_tokens: 10,
    cache_read_input_tokens: 2048,
    cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 0 },
    output_tokens_details: { thinking_tokens: 12 },
    service_tier: 'standard',
    inference_geo: 'global',
  },
};

describe('streamEvents', () => {
  const events = streamEvents(message);
  const types = events.map((event) => event.event);

  it('follows the real order: start, blocks with a ping after the first start, delta, stop', () => {
    expect(types[0]).toBe('message_start');
    expect(types[1]).toBe('content_block_start');
    expect(types[2]).toBe('ping');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(types.filter((type) => type === 'content_block_start')).toHaveLength(3);
    expect(types.filter((type) => type === 'content_block_stop')).toHaveLength(3);
  });

  it('starts with input-side usage, including cache fields, and a small output count', () => {
    const start = events[0]!.data as {
      message: Omit<MessageResponse, 'stop_reason'> & { stop_reason: null };
    };
    expect(start.message.content).toEqual([]);
    expect(start.message.stop_reason).toBeNull();
    expect(start.message.usage).toMatchObject({
      input_tokens: 120,
      cache_read_input_tokens: 2048,
      cache_creation_input_tokens: 10,
      output_tokens: 1,
    });
    // As in real captures: no output_tokens_details, server_tool_use or container at the start.
    expect(start.message.usage).not.toHaveProperty('output_tokens_details');
    expect(start.message.usage).not.toHaveProperty('server_tool_use');
    expect(start.message).not.toHaveProperty('container');
  });

  it('ends thinking with a signature_delta and streams tool input as JSON pieces, first empty', () => {
    const deltas = (index: number) =>
      events
        .filter((event) => event.event === 'content_block_delta' && event.data.index === index)
        .map((event) => event.data.delta as Record<string, string>);
    const thinking = deltas(0);
    expect(thinking.at(-1)).toEqual({ type: 'signature_delta', signature: 'c2ln' });
    expect(
      thinking
        .slice(0, -1)
        .map((delta) => delta.thinking)
        .join(''),
    ).toBe('Plan: look the city up, then answer briefly.');
    expect(
      deltas(1)
        .map((delta) => delta.text)
        .join(''),
    ).toBe('Let me check the weather in Paris for you.  ');
    const json = deltas(2);
    expect(json.length).toBeGreaterThan(2);
    expect(json[0]).toEqual({ type: 'input_json_delta', partial_json: '' });
    expect(JSON.parse(json.map((delta) => delta.partial_json).join(''))).toEqual({
      city: 'Paris',
      unit: 'celsius',
    });
  });

  it('reports the stop reason and cumulative usage in message_delta; delta tokens add up', () => {
    const delta = events.at(-2)!.data as {
      delta: { stop_reason: string };
      usage: { output_tokens: number };
    };
    expect(delta.delta.stop_reason).toBe('tool_use');
    expect(delta.usage.output_tokens).toBe(40);
    expect(delta.usage).toMatchObject({ output_tokens_details: { thinking_tokens: 12 } });
    expect(events.reduce((sum, event) => sum + event.tokens, 0)).toBe(40);
  });

  it('streams a tool call cut short as the JSON generated, stopping mid-JSON', () => {
    const cut: MessageResponse = {
      ...message,
      content: [
        {
          type: 'tool_use',
          id: 'toolu_01y',
          name: 'get_weather',
          input: { city: 'Paris' },
          caller: { type: 'direct' },
        },
      ],
      stop_reason: 'max_tokens',
    };
    const json = '{"city":"Paris","unit":"cel';
    const cutEvents = streamEvents(cut, [{ tokens: 9, inputJson: json }]);
    const pieces = cutEvents
      .filter((event) => event.event === 'content_block_delta')
      .map((event) => (event.data.delta as { partial_json: string }).partial_json);
    expect(pieces.join('')).toBe(json);
    expect(cutEvents.reduce((sum, event) => sum + event.tokens, 0)).toBe(9);
  });

  it('sends redacted thinking whole in content_block_start, with no deltas', () => {
    const redacted: MessageResponse = {
      ...message,
      content: [{ type: 'redacted_thinking', data: 'RXFRQkNn' }],
      stop_reason: 'end_turn',
    };
    const redactedEvents = streamEvents(redacted, [{ tokens: 5 }]);
    expect(redactedEvents.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(redactedEvents[1]!.data.content_block).toEqual({
      type: 'redacted_thinking',
      data: 'RXFRQkNn',
    });
  });
});
