import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';

let emulator: EmulatorHandle;
let client: Anthropic;
const model = 'claude-sonnet-4-6';

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: ['good-key'] });
  client = new Anthropic({ apiKey: 'good-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

type ApiErrorInstance = InstanceType<typeof Anthropic.APIError>;

async function failure(promise: Promise<unknown>): Promise<ApiErrorInstance> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Anthropic.APIError))
    throw new Error(`expected an APIError, got ${String(error)}`);
  return error;
}

/** Checks the real error body shape and the request id in header and body. */
function expectErrorShape(error: ApiErrorInstance, status: number, type: string): void {
  expect(error.status).toBe(status);
  const body = error.error as { type: string; error: { type: string }; request_id: string };
  expect(body.type).toBe('error');
  expect(body.error.type).toBe(type);
  expect(error.requestID).toMatch(/^req_/);
  expect(body.request_id).toBe(error.requestID);
}

describe('errors through the official SDK', () => {
  it('maps a rejected key to AuthenticationError (401)', async () => {
    const wrong = new Anthropic({ apiKey: 'bad-key', baseURL: emulator.url, maxRetries: 0 });
    const error = await failure(
      wrong.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expectErrorShape(error, 401, 'authentication_error');
  });

  it('maps an unknown model to NotFoundError (404) on create and count_tokens', async () => {
    const params = {
      model: 'claude-nonexistent',
      messages: [{ role: 'user' as const, content: 'x' }],
    };
    const created = await failure(client.messages.create({ ...params, max_tokens: 10 }));
    expect(created).toBeInstanceOf(Anthropic.NotFoundError);
    expectErrorShape(created, 404, 'not_found_error');
    expect(created.message).toContain('model: claude-nonexistent');
    expect(await failure(client.messages.countTokens(params))).toBeInstanceOf(
      Anthropic.NotFoundError,
    );
  });

  it('maps validation failures to BadRequestError (400) with the field path', async () => {
    // An explicit timeout lifts the SDK's client-side guard on large non-streaming max_tokens.
    const error = await failure(
      client.messages.create(
        { model, max_tokens: 100_000, messages: [{ role: 'user', content: 'x' }] },
        { timeout: 60_000 },
      ),
    );
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expectErrorShape(error, 400, 'invalid_request_error');
    expect(error.message).toContain(
      'max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-sonnet-4-6',
    );
    const thinking = await failure(
      client.messages.create({
        model,
        max_tokens: 2000,
        thinking: { type: 'enabled', budget_tokens: 512 },
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(thinking).toBeInstanceOf(Anthropic.BadRequestError);
    expect(thinking.message).toContain('budget_tokens');
  });

  it('maps injected server failures to InternalServerError and 429 to RateLimitError', async () => {
    const params = { model, max_tokens: 10, messages: [{ role: 'user' as const, content: 'x' }] };
    const overloaded = await failure(
      client.messages.create(params, { headers: { 'x-keel-fault': 'overloaded' } }),
    );
    expect(overloaded).toBeInstanceOf(Anthropic.InternalServerError);
    expectErrorShape(overloaded, 529, 'overloaded_error');
    const limited = await failure(
      client.messages.create(params, { headers: { 'x-keel-fault': 'rate_limit; retry_after=7' } }),
    );
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect(limited.headers?.get('retry-after')).toBe('7');
  });

  it('answers missing headers and unknown routes with the API error shape', async () => {
    const raw = (path: string, headers: Record<string, string>, method = 'POST') =>
      fetch(`${emulator.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
    const noKey = await raw('/v1/messages', { 'anthropic-version': '2023-06-01' });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: 'x-api-key header is required' },
    });
    expect(noKey.headers.get('request-id')).toMatch(/^req_/);

    const noVersion = await raw('/v1/messages', { 'x-api-key': 'good-key' });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' },
    });

    const nowhere = await raw('/v1/nowhere', {
      'x-api-key': 'good-key',
      'anthropic-version': '2023-06-01',
    });
    expect(nowhere.status).toBe(404);
    expect(await nowhere.json()).toMatchObject({ error: { type: 'not_found_error' } });
  });
});

describe("field errors in the real API's (pydantic) wording", () => {
  const base = { model, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] };

  async function messageOf(body: unknown): Promise<string> {
    const error = await failure(
      client.messages.create(body as Anthropic.MessageCreateParamsNonStreaming),
    );
    expectErrorShape(error, 400, 'invalid_request_error');
    return (error.error as { error: { message: string } }).error.message;
  }

  it('names a missing field "Field required"', async () => {
    expect(await messageOf({ model, messages: base.messages })).toBe('max_tokens: Field required');
    expect(
      await messageOf({ ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] }),
    ).toBe('messages.0.content.0.text.text: Field required');
  });

  it('names an unknown key "Extra inputs are not permitted", with its full path', async () => {
    expect(await messageOf({ ...base, foo: 1 })).toBe('foo: Extra inputs are not permitted');
    expect(await messageOf({ ...base, messages: [{ role: 'user', content: 'x', foo: 1 }] })).toBe(
      'messages.0.foo: Extra inputs are not permitted',
    );
    expect(
      await messageOf({ ...base, thinking: { type: 'enabled', budget_tokens: 2048, foo: 1 } }),
    ).toBe('thinking.enabled.foo: Extra inputs are not permitted');
  });

  it('words wrong types, enums, bounds and unknown tags as pydantic does', async () => {
    expect(await messageOf({ ...base, max_tokens: 'ten' })).toBe(
      'max_tokens: Input should be a valid integer',
    );
    expect(await messageOf({ ...base, max_tokens: 1.5 })).toBe(
      'max_tokens: Input should be a valid integer, got a number with a fractional part',
    );
    expect(await messageOf({ ...base, stop_sequences: 'END' })).toBe(
      'stop_sequences: Input should be a valid list',
    );
    expect(
      await messageOf({
        ...base,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'AA==' } },
            ],
          },
        ],
      }),
    ).toBe(
      // The exact text Claude Code 2.1.332 matches on real responses.
      "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
    );
    expect(
      await messageOf({ ...base, messages: [{ role: 'user', content: [{ type: 'video' }] }] }),
    ).toMatch(
      /^messages\.0\.content\.0: Input tag 'video' found using 'type' does not match any of the expected tags: 'text', 'image', /,
    );
    expect(await messageOf({ ...base, tool_choice: { type: 'sometimes' } })).toBe(
      "tool_choice: Input tag 'sometimes' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'",
    );
    expect(
      await messageOf({
        ...base,
        tools: [{ name: 'has space', input_schema: { type: 'object' } }],
      }),
    ).toMatch(/^tools\.0\.name: String should match pattern '/);
  });

  it('words a wrong body on the raw wire the same way (2023-06-01, x-api-key)', async () => {
    const response = await fetch(`${emulator.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'good-key',
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({ ...base, temperature: 1.5 }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['error', 'request_id', 'type']);
    expect(body).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'temperature: Input should be less than or equal to 1',
      },
      request_id: response.headers.get('request-id'),
    });
  });
});
