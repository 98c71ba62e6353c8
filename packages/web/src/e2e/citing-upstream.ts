import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Claude in front of the emulator, for the one thing the emulator does not stream
 * yet: citations. Streamed `POST /v1/messages` calls are answered by asking the emulator for the
 * whole message (`stream: false`, which carries `citations`) and replaying it as the real API's
 * event stream, `citations_delta` included; every other request passes through unchanged.
 */
export interface CitingUpstream {
  /** Use as ANTHROPIC_BASE_URL. */
  url: string;
  /** How many `citations_delta` events it has streamed. */
  citationsStreamed(): number;
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1, port 0, forwarding to `emulatorUrl`. */
export async function startCitingUpstream(emulatorUrl: string): Promise<CitingUpstream> {
  let citations = 0;
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name)) {
          headers[name] = value;
        }
      }
      let parsed: { stream?: boolean } | undefined;
      try {
        parsed = request.method === 'POST' && body ? JSON.parse(body) : undefined;
      } catch {
        parsed = undefined;
      }
      const streamed = request.url?.startsWith('/v1/messages?') || request.url === '/v1/messages';
      if (!streamed || parsed?.stream !== true) {
        const upstream = await fetch(`${emulatorUrl}${request.url}`, {
          method: request.method!,
          headers,
          ...(body ? { body } : {}),
        });
        response.writeHead(upstream.status, passHeaders(upstream.headers));
        response.end(Buffer.from(await upstream.arrayBuffer()));
        return;
      }
      const upstream = await fetch(`${emulatorUrl}${request.url}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...parsed, stream: false }),
      });
      if (!upstream.ok) {
        response.writeHead(upstream.status, passHeaders(upstream.headers));
        response.end(Buffer.from(await upstream.arrayBuffer()));
        return;
      }
      const message = (await upstream.json()) as StoredMessage;
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      for (const [event, data] of replay(message)) {
        if (data.delta && (data.delta as { type?: string }).type === 'citations_delta') citations++;
        response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      }
      response.end();
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ type: 'error', error: { type: 'api_error', message: String(error) } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    citationsStreamed: () => citations,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface StoredMessage {
  content: Array<Record<string, unknown> & { type: string }>;
  usage: Record<string, unknown> & { output_tokens: number };
  stop_reason: string | null;
  stop_sequence: string | null;
  [key: string]: unknown;
}

type StreamEvent = [string, Record<string, unknown>];

/** The events of a whole message, in the real API's order and shapes. */
function replay(message: StoredMessage): StreamEvent[] {
  const events: StreamEvent[] = [
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          ...message,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...message.usage, output_tokens: 1 },
        },
      },
    ],
  ];
  const delta = (index: number, value: Record<string, unknown>): StreamEvent => [
    'content_block_delta',
    { type: 'content_block_delta', index, delta: value },
  ];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push([
        'content_block_start',
        { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
      ]);
      const text = String(block.text);
      for (let at = 0; at < text.length; at += 40)
        events.push(delta(index, { type: 'text_delta', text: text.slice(at, at + 40) }));
      for (const citation of Array.isArray(block.citations) ? block.citations : []) {
        events.push(delta(index, { type: 'citations_delta', citation }));
      }
    } else if (block.type === 'tool_use') {
      events.push([
        'content_block_start',
        {
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        },
      ]);
      events.push(
        delta(index, { type: 'input_json_delta', partial_json: JSON.stringify(block.input) }),
      );
    } else if (block.type === 'thinking') {
      events.push([
        'content_block_start',
        { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '' } },
      ]);
      events.push(delta(index, { type: 'thinking_delta', thinking: block.thinking }));
      events.push(delta(index, { type: 'signature_delta', signature: block.signature ?? '' }));
    } else {
      events.push([
        'content_block_start',
        { type: 'content_block_start', index, content_block: block },
      ]);
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
  });
  events.push([
    'message_delta',
    {
      type: 'message_delta',
      delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
      usage: message.usage,
    },
  ]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return events;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Response headers to pass on; the body is re-sent decoded, so its framing headers are not. */
function passHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) {
      kept[name] = value;
    }
  });
  return kept;
}
