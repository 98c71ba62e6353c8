import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock, startEmulator, type EmulatorHandle } from '../index.ts';

// How a request's `model` resolves, as the real API does it:
// - an alias answers with the dated id it points at (wire capture text.sse.stream.jsonl: request
//   "claude-haiku-4-5", message_start model "claude-haiku-4-5-20251001"); a dateless id such as
//   claude-sonnet-4-6 or claude-opus-4-8 is itself the id (captures ptc / system_after_server_tool);
// - a retired model answers 404 not_found_error "model: <name>" (github.com/vicharanashala/vibe#1259);
// - a deprecated model still answers; the docs name no warning header or field for it.

/** 2026-10-01: Claude Sonnet 4.5 is deprecated (it retires on 2026-11-30). */
const october = new AdjustableClock(() => Date.parse('2026-10-01T12:00:00Z'));
let emulator: EmulatorHandle;
let client: Anthropic;
const ask = { max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hello' }] };

beforeAll(async () => {
  emulator = await startEmulator({ clock: october });
  client = new Anthropic({ apiKey: 'test-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

describe('the resolved model id', () => {
  it('answers an alias with the dated id, in plain and streamed responses', async () => {
    const plain = await client.messages.create({ ...ask, model: 'claude-haiku-4-5' });
    expect(plain.model).toBe('claude-haiku-4-5-20251001');
    const stream = client.messages.stream({ ...ask, model: 'claude-haiku-4-5' });
    let started: string | undefined;
    for await (const event of stream) {
      if (event.type === 'message_start') started = event.message.model;
    }
    expect(started).toBe('claude-haiku-4-5-20251001');
    expect((await stream.finalMessage()).model).toBe('claude-haiku-4-5-20251001');
  });

  it('echoes a dateless id as it is', async () => {
    for (const model of ['claude-sonnet-5-5', 'claude-opus-5-5', 'claude-sonnet-4-6']) {
      const message = await client.messages.create({ ...ask, model });
      expect(message.model).toBe(model);
    }
  });
});

describe('model lifecycles on the Messages API', () => {
  it('serves a deprecated model, with no invented warning', async () => {
    const { data, response } = await client.messages
      .create({ ...ask, model: 'claude-sonnet-4-5' })
      .withResponse();
    expect(data.model).toBe('claude-sonnet-4-5-20250929');
    for (const name of ['warning', 'deprecation', 'sunset', 'anthropic-deprecation']) {
      expect(response.headers.get(name), name).toBeNull();
    }
    expect(Object.keys(data)).not.toContain('warning');
  });

  it('fails a retired model with 404 not_found_error, as the real API does', async () => {
    const after = await startEmulator({
      clock: new AdjustableClock(() => Date.parse('2026-11-30T00:00:00Z')),
    });
    try {
      const sdk = new Anthropic({ apiKey: 'k', baseURL: after.url, maxRetries: 0 });
      for (const model of ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929']) {
        const error = await sdk.messages.create({ ...ask, model }).catch((caught) => caught);
        expect(error).toBeInstanceOf(Anthropic.NotFoundError);
        expect(error.error).toEqual({
          type: 'error',
          error: { type: 'not_found_error', message: `model: ${model}` },
          request_id: expect.any(String),
        });
        await expect(
          sdk.messages.countTokens({ model, messages: ask.messages }),
        ).rejects.toBeInstanceOf(Anthropic.NotFoundError);
      }
      // Models retired long ago fail the same way on any date.
      await expect(
        sdk.messages.create({ ...ask, model: 'claude-sonnet-4-20250514' }),
      ).rejects.toBeInstanceOf(Anthropic.NotFoundError);
      // The models API still describes it, as retired.
      const described = await sdk.models.retrieve('claude-sonnet-4-5');
      expect(described).toMatchObject({
        id: 'claude-sonnet-4-5-20250929',
        lifecycle: 'retired',
        retires_at: '2026-11-30T00:00:00Z',
      });
      const listed = (await sdk.models.list({ limit: 1000 })).data.map((model) => model.id);
      expect(listed).not.toContain('claude-sonnet-4-5-20250929');
      expect(listed).toContain('claude-haiku-5-5');
    } finally {
      await after.close();
    }
  });
});

describe('GET /v1/models for the 5.x lineup', () => {
  it('describes current models with the SDK ModelInfo fields', async () => {
    const opus = await client.models.retrieve('claude-opus-5-5');
    expect(Object.keys(opus).sort()).toEqual(
      [
        'capabilities',
        'created_at',
        'deprecated_at',
        'display_name',
        'id',
        'lifecycle',
        'line',
        'max_input_tokens',
        'max_tokens',
        'retires_at',
        'type',
      ].sort(),
    );
    expect(opus).toMatchObject({
      type: 'model',
      display_name: 'Claude Opus 5.5',
      lifecycle: 'active',
      line: 'opus',
      max_input_tokens: 1_000_000,
      max_tokens: 128_000,
      deprecated_at: null,
      retires_at: null,
    });
    // Thinking is always on: adaptive accepted, manual budgets and `disabled` refused.
    expect(opus.capabilities?.thinking.types).toMatchObject({
      adaptive: { supported: true },
      enabled: { supported: false },
      disabled: { supported: false },
    });
    expect(opus.capabilities?.effort).toMatchObject({ xhigh: { supported: true } });
    const fable = await client.models.retrieve('claude-fable-5-1');
    expect(fable.line).toBe('fable');
  });

  it('lists a legacy model as active, and a deprecated one with its retirement date', async () => {
    const listed = (await client.models.list({ limit: 1000 })).data;
    expect(listed.find((model) => model.id === 'claude-opus-5')?.lifecycle).toBe('active');
    expect(listed.find((model) => model.id === 'claude-sonnet-4-5-20250929')).toMatchObject({
      lifecycle: 'deprecated',
      retires_at: '2026-11-30T00:00:00Z',
    });
  });
});
