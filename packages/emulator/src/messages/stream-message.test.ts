import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActiveFault } from '../faults/fault-injector.ts';
import { LatencyModel } from '../latency/latency-model.ts';
import type { MessageResponse } from './response-types.ts';
import { streamMessage, type StreamOutcome } from './stream-message.ts';

const message: MessageResponse = {
  id: 'msg_01stream',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-6',
  content: [
    {
      type: 'text',
      text: 'The lighthouse keeper climbed the stairs every evening at dusk.',
    },
  ],
  stop_reason: 'end_turn',
  stop_sequence: null,
  stop_details: null,
  usage: {
    input_tokens: 10,
    output_tokens: 11,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens_details: { thinking_tokens: 0 },
    service_tier: 'standard',
    inference_geo: 'global',
  },
};

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/**
 * Serves one stream over a real socket to a plain HTTP client.
 * Resolves with the writer's outcome and everything the client received.
 */
async function serve(options: {
  latency?: LatencyModel;
  fault?: ActiveFault;
  /** Destroy the client request after this many ms. */
  hangUpAfterMs?: number;
}): Promise<{ outcome: StreamOutcome; body: string }> {
  let outcome!: Promise<StreamOutcome>;
  server = createServer((_request, response) => {
    outcome = streamMessage({
      response,
      message,
      headers: { 'request-id': 'req_test' },
      latency: options.latency ?? new LatencyModel('none'),
      ...(options.fault ? { fault: options.fault } : {}),
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let body = '';
  await new Promise<void>((resolve) => {
    const request = httpRequest(
      { port, host: '127.0.0.1', path: '/', method: 'POST' },
      (response) => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', resolve);
        response.on('error', resolve);
        response.on('close', resolve);
      },
    );
    request.on('error', () => resolve());
    request.end();
    if (options.hangUpAfterMs !== undefined) {
      setTimeout(() => request.destroy(), options.hangUpAfterMs);
    }
  });
  return { outcome: await outcome, body };
}

const fault = (type: ActiveFault['type'], afterTokens: number): ActiveFault => ({
  type,
  afterTokens,
  delayMs: 0,
  retryAfterSeconds: 1,
});

describe('streamMessage', () => {
  it('writes the complete sequence and reports every output token', async () => {
    const { outcome, body } = await serve({});
    expect(outcome).toEqual({ outputTokens: 11, ending: 'complete' });
    expect(body.startsWith('event: message_start\n')).toBe(true);
    expect(body.trimEnd().endsWith('event: message_stop\ndata: {"type":"message_stop"}')).toBe(
      true,
    );
  });

  it('sends an overloaded error event after N tokens and nothing after it', async () => {
    const { outcome, body } = await serve({ fault: fault('stream_error', 4) });
    expect(outcome.ending).toBe('error');
    expect(outcome.outputTokens).toBeGreaterThanOrEqual(4);
    expect(outcome.outputTokens).toBeLessThan(11);
    expect(
      body
        .trimEnd()
        .endsWith(
          'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
        ),
    ).toBe(true);
    expect(body).not.toContain('message_delta');
  });

  it('cuts the stream without message_delta or message_stop', async () => {
    const { outcome, body } = await serve({ fault: fault('stream_cut', 3) });
    expect(outcome.ending).toBe('cut');
    expect(body).toContain('content_block_delta');
    expect(body).not.toContain('message_stop');
    expect(body).not.toContain('event: error');
  });

  it('stops waiting as soon as the client hangs up, even mid-way through a long pause', async () => {
    // A minute to the first token: the writer only ends in time if the hang-up cancels its wait.
    const latency = new LatencyModel({ timeToFirstTokenMs: 60_000, outputTokensPerSecond: 1 });
    const pending = serve({ latency, hangUpAfterMs: 50 });
    const { outcome } = await pending;
    expect(outcome).toEqual({ outputTokens: 0, ending: 'disconnected' });
  });
});
