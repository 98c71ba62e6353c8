import { describe, expect, it } from 'vitest';
import { parseChatEvent } from './chat-events.ts';
import { SseParser } from './sse-parser.ts';
import { readChatEvents } from './read-sse-events.ts';

const bytes = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      const encoder = new TextEncoder();
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });

describe('SseParser', () => {
  it('dispatches an event at each blank line, with its name and data', () => {
    const parser = new SseParser();
    expect(
      parser.push('event: text-delta\ndata: {"text":"Hel"}\n\nevent: done\ndata: {}\n\n'),
    ).toEqual([
      { event: 'text-delta', data: '{"text":"Hel"}', id: undefined },
      { event: 'done', data: '{}', id: undefined },
    ]);
  });

  it('keeps an event that is split across chunks, at any byte', () => {
    const wire = 'event: text-delta\ndata: {"text":"a"}\n\nevent: usage\ndata: {"input":3}\n\n';
    for (let cut = 1; cut < wire.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(wire.slice(0, cut)), ...parser.push(wire.slice(cut))];
      expect(events.map((event) => event.event)).toEqual(['text-delta', 'usage']);
      expect(events[1]!.data).toBe('{"input":3}');
    }
  });

  it('accepts CRLF and CR line ends, a CRLF split between chunks included', () => {
    const parser = new SseParser();
    const events = [
      ...parser.push('event: a\r\ndata: 1\r'),
      ...parser.push('\n\r\nevent: b\rdata: 2\r\r'),
    ];
    expect(events.map((event) => [event.event, event.data])).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it('joins data lines, drops one leading space only, ignores comments and unknown fields', () => {
    const parser = new SseParser();
    const [event] = parser.push(
      ': keep-alive\nretry: 10\nfoo: bar\ndata:  two spaces\ndata:x\nid: 7\n\n',
    );
    expect(event).toEqual({ event: 'message', data: ' two spaces\nx', id: '7' });
  });

  it('dispatches nothing for an event without data, and resets the name after each event', () => {
    const parser = new SseParser();
    expect(parser.push('event: ping\n\ndata: after\n\n')).toEqual([
      { event: 'message', data: 'after', id: undefined },
    ]);
  });

  it('holds back an event whose blank line has not arrived', () => {
    const parser = new SseParser();
    expect(parser.push('event: done\ndata: {}\n')).toEqual([]);
    expect(parser.push('\n')).toHaveLength(1);
  });
});

describe('parseChatEvent', () => {
  it('types known events from their SSE name and JSON data', () => {
    expect(
      parseChatEvent('tool-end', '{"name":"get_order_status","isError":false,"summary":"ok"}'),
    ).toEqual({
      type: 'tool-end',
      name: 'get_order_status',
      isError: false,
      summary: 'ok',
    });
  });

  it('drops unknown names, broken JSON and non-object data, and the name wins over a type field', () => {
    expect(parseChatEvent('surprise', '{}')).toBeUndefined();
    expect(parseChatEvent('text-delta', '{"text":')).toBeUndefined();
    expect(parseChatEvent('text-delta', '"text"')).toBeUndefined();
    expect(parseChatEvent('text-delta', '[1]')).toBeUndefined();
    expect(parseChatEvent('done', '{"type":"error"}')).toMatchObject({ type: 'done' });
  });
});

describe('readChatEvents', () => {
  it('decodes UTF-8 split inside a character and yields the chat events in order', async () => {
    const wire = new TextEncoder().encode('event: text-delta\ndata: {"text":"thé ☕"}\n\n');
    const split = wire.indexOf(0xe2) + 1; // inside the three bytes of the cup
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(wire.slice(0, split));
        controller.enqueue(wire.slice(split));
        controller.close();
      },
    });
    const events = [];
    for await (const event of readChatEvents(stream)) events.push(event);
    expect(events).toEqual([{ type: 'text-delta', text: 'thé ☕' }]);
  });

  it('skips events it does not know without ending the stream', async () => {
    const events = [];
    for await (const event of readChatEvents(
      bytes(
        'event: mystery\ndata: {}\n\n',
        'event: done\ndata: {"outcome":"end_turn","stopped":false}\n\n',
      ),
    ))
      events.push(event);
    expect(events).toEqual([{ type: 'done', outcome: 'end_turn', stopped: false }]);
  });
});
