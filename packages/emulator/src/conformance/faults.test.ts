import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';

let emulator: EmulatorHandle;
let sent = 0;

/** A client that counts the HTTP attempts it makes, so retries are visible. */
function client(options: { maxRetries?: number; apiKey?: string } = {}): Anthropic {
  return new Anthropic({
    apiKey: options.apiKey ?? 'fault-key',
    baseURL: emulator.url,
    maxRetries: options.maxRetries ?? 0,
    fetch: (url, init) => {
      sent += 1;
      return fetch(url, init);
    },
  });
}

const params = {
  model: 'claude-sonnet-4-6',
  max_tokens: 200,
  messages: [
    { role: 'user' as const, content: 'Tell me a long story about lighthouses and the sea.' },
  ],
};

beforeAll(async () => {
  emulator = await startEmulator({ seed: 42 });
});
afterEach(() => {
  emulator.state.faults.setRules([]);
  sent = 0;
});
afterAll(() => emulator.close());

describe('injected faults through the official SDK', () => {
  it('maps each status fault to the typed SDK error, with the real body shape', async () => {
    const cases = [
      ['rate_limit', Anthropic.RateLimitError, 429, 'rate_limit_error'],
      ['api_error', Anthropic.InternalServerError, 500, 'api_error'],
      ['overloaded', Anthropic.InternalServerError, 529, 'overloaded_error'],
      ['invalid_request', Anthropic.BadRequestError, 400, 'invalid_request_error'],
      ['request_too_large', Anthropic.APIError, 413, 'request_too_large'],
    ] as const;
    for (const [fault, errorClass, status, type] of cases) {
      const error = await client()
        .messages.create(params, { headers: { 'x-keel-fault': fault } })
        .catch((caught: unknown) => caught);
      expect(error, fault).toBeInstanceOf(errorClass);
      const apiError = error as InstanceType<typeof Anthropic.APIError>;
      expect(apiError.status).toBe(status);
      expect(apiError.requestID).toMatch(/^req_/);
      expect(apiError.error).toMatchObject({ type: 'error', error: { type } });
      if (fault === 'rate_limit') expect(apiError.headers?.get('retry-after')).toBe('1');
    }
  });

  it('lets the SDK retry a 429 after retry-after and then succeed', async () => {
    emulator.state.faults.setRules([{ type: 'rate_limit', count: 2, retryAfterSeconds: 1 }]);
    emulator.state.requestLog.clear();
    const started = Date.now();
    const message = await client({ maxRetries: 2 }).messages.create(params);
    expect(message.type).toBe('message');
    expect(sent).toBe(3);
    // The emulator saw the same three requests: two refused by the fault, one served.
    const seen = emulator.state.requestLog.list().filter((entry) => entry.path === '/v1/messages');
    expect(seen.map((entry) => entry.status).sort()).toEqual([200, 429, 429]);
    expect(seen.filter((entry) => entry.fault === 'rate_limit')).toHaveLength(2);
    // Two waits of one second each, as retry-after asked.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(emulator.state.faults.rules()[0]?.count).toBe(0);
  });

  it('lets the SDK retry 529 overloaded, and gives up after maxRetries', async () => {
    emulator.state.faults.setRules([{ type: 'overloaded', count: 1 }]);
    emulator.state.requestLog.clear();
    await expect(client({ maxRetries: 1 }).messages.create(params)).resolves.toMatchObject({
      type: 'message',
    });
    expect(sent).toBe(2);
    expect(emulator.state.requestLog.size).toBe(2);

    sent = 0;
    emulator.state.faults.setRules([{ type: 'overloaded', count: 5 }]);
    await expect(client({ maxRetries: 1 }).messages.create(params)).rejects.toBeInstanceOf(
      Anthropic.InternalServerError,
    );
    expect(sent).toBe(2);
    expect(emulator.state.faults.rules()[0]?.count).toBe(3);
  });

  it('resets the connection before any byte, which the SDK retries as a connection error', async () => {
    await expect(
      client().messages.create(params, { headers: { 'x-keel-fault': 'connection_reset' } }),
    ).rejects.toBeInstanceOf(Anthropic.APIConnectionError);

    emulator.state.faults.setRules([{ type: 'connection_reset', count: 1 }]);
    await expect(client({ maxRetries: 1 }).messages.create(params)).resolves.toMatchObject({
      type: 'message',
    });
    expect(sent).toBe(3);
  });

  it('surfaces a mid-stream error event after some text, with no message_stop', async () => {
    const stream = client().messages.stream(params, {
      headers: { 'x-keel-fault': 'stream_error; after_tokens=3' },
    });
    let text = '';
    const events: string[] = [];
    stream.on('text', (delta) => (text += delta));
    stream.on('streamEvent', (event) => events.push(event.type));
    const error = await stream.finalMessage().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    expect(text.length).toBeGreaterThan(0);
    expect(events).toContain('content_block_delta');
    expect(events).not.toContain('message_stop');
  });

  it('cuts a stream short: events stop before message_delta and message_stop', async () => {
    emulator.state.faults.setRules([{ type: 'stream_cut', afterTokens: 0, count: 1 }]);
    const response = await fetch(`${emulator.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': 'raw',
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ ...params, stream: true }),
    });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain('event: message_start');
    expect(body).not.toContain('event: content_block_delta');
    expect(body).not.toContain('event: message_stop');
    expect(body).not.toContain('event: error');
  });

  it('never faults admin routes or non-matching paths', async () => {
    emulator.state.faults.setRules([{ type: 'api_error', path: '/v1/messages/count_tokens' }]);
    await expect(client().messages.create(params)).resolves.toMatchObject({ type: 'message' });
    await expect(
      client().messages.countTokens({ model: params.model, messages: params.messages }),
    ).rejects.toBeInstanceOf(Anthropic.InternalServerError);
  });

  it('delays the first token by slow_first_token', async () => {
    const started = Date.now();
    await client().messages.create(params, {
      headers: { 'x-keel-fault': 'slow_first_token; delay_ms=250' },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('rejects a malformed fault header with a 400', async () => {
    await expect(
      client().messages.create(params, { headers: { 'x-keel-fault': 'gremlins' } }),
    ).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });
});

describe('rate limits through the official SDK', () => {
  it('sends the rate-limit headers on every response and refuses with 429 when empty', async () => {
    const limited = await startEmulator({ rateLimits: { requestsPerMinute: 2 } });
    try {
      const sdk = new Anthropic({ apiKey: 'rl-key', baseURL: limited.url, maxRetries: 0 });
      const first = await sdk.messages.create(params).withResponse();
      expect(first.response.headers.get('anthropic-ratelimit-requests-limit')).toBe('2');
      expect(first.response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('1');
      expect(first.response.headers.get('anthropic-ratelimit-input-tokens-reset')).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      );
      await sdk.messages.countTokens({ model: params.model, messages: params.messages });
      const error = await sdk.messages.create(params).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Anthropic.RateLimitError);
      const retryAfter = Number(
        (error as InstanceType<typeof Anthropic.RateLimitError>).headers?.get('retry-after'),
      );
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(Number.isInteger(retryAfter)).toBe(true);
      // Another key has its own bucket.
      const other = new Anthropic({ apiKey: 'other-key', baseURL: limited.url, maxRetries: 0 });
      await expect(other.messages.create(params)).resolves.toMatchObject({ type: 'message' });
    } finally {
      await limited.close();
    }
  });
});
