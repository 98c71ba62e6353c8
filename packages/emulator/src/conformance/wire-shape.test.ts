import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compareMessages,
  compareStreams,
  eventPattern,
  parseSse,
  parseWrappedJsonl,
  type WireEvent,
} from './wire-shape.ts';

const capture = parseWrappedJsonl(
  readFileSync(new URL('./__fixtures__/wire/text.sse.stream.jsonl', import.meta.url), 'utf8'),
);
const copy = (): WireEvent[] => JSON.parse(JSON.stringify(capture)) as WireEvent[];

describe('structural comparison with a capture', () => {
  it('finds no difference between a capture and itself, whatever the values', () => {
    const other = copy();
    (other[0]!.data.message as { id: string }).id = 'msg_other';
    (other[3]!.data.delta as { text: string }).text = 'something else entirely';
    expect(compareStreams({ actual: other, expected: capture })).toEqual([]);
  });

  it('collapses runs of deltas and leaves pings out of the event order', () => {
    expect(eventPattern(capture)).toEqual([
      'message_start',
      'content_block_start(text)',
      'content_block_delta(text_delta)+',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('reports a missing null field, an extra field and a changed kind', () => {
    const other = copy();
    const delta = other[5]!.data as unknown as {
      delta: Record<string, unknown>;
      usage: Record<string, unknown>;
    };
    delete delta.delta.stop_details;
    delta.usage.server_tool_use = null;
    delta.usage.output_tokens = '4';
    expect(compareStreams({ actual: other, expected: capture })).toEqual([
      'message_delta: extra usage.output_tokens: string',
      'message_delta: extra usage.server_tool_use: null',
      'message_delta: missing delta.stop_details: null',
      'message_delta: missing usage.output_tokens: number',
    ]);
  });

  it('reports a different event order and a moved ping', () => {
    const other = copy();
    const [ping] = other.splice(2, 1);
    other.splice(4, 0, ping!);
    other.splice(1, 0, {
      data: {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '' },
      },
    });
    const differences = compareStreams({ actual: other, expected: capture });
    expect(differences.some((line) => line.startsWith('event order:'))).toBe(true);
    expect(differences.some((line) => line.startsWith('first ping:'))).toBe(true);
  });

  it('checks SSE framing: the event name is the data type', () => {
    const events = parseSse(
      'event: ping\ndata: {"type":"ping"}\n\nevent: message_stop\ndata: {"type":"ping"}\n\n',
    );
    expect(compareStreams({ actual: events, expected: [] })).toEqual([
      'framing: event name message_stop for data.type ping',
    ]);
  });

  it('compares whole messages by field paths, ignoring tool input values', () => {
    const message = (input: unknown) => ({
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'add', input }],
      stop_details: null,
    });
    expect(compareMessages(message({ a: 1 }), message({ b: 'x' }))).toEqual([]);
    expect(compareMessages({ ...message({}), container: null }, message({}))).toEqual([
      'message: extra container: null',
    ]);
  });
});
