import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';

let emulator: EmulatorHandle;
let client: Anthropic;
const apiKey = 'sk-admin-test-key-abcdef';

beforeAll(async () => {
  emulator = await startEmulator();
  client = new Anthropic({ apiKey, baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.state.faults.setRules([]);
  emulator.state.rateLimiter.configure(undefined);
});

/** Calls an admin endpoint with no API key at all. */
async function admin(method: string, path: string, body?: unknown) {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : {
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const ask = (content: string) =>
  client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 50,
    messages: [{ role: 'user', content }],
  });

describe('the admin API under /_emulator/', () => {
  it('answers health without an API key', async () => {
    expect(await admin('GET', '/_emulator/health')).toMatchObject({
      status: 200,
      body: { status: 'ok', mode: 'emulate' },
    });
  });

  it('shows the request log with hashed keys, honours ?limit and clears it', async () => {
    await admin('DELETE', '/_emulator/requests');
    await ask('log me');
    await client.models.list();
    const { body } = await admin('GET', '/_emulator/requests');
    const paths = body.data.map((entry: { path: string }) => entry.path);
    expect(paths).toContain('/v1/messages');
    expect(paths).toContain('/v1/models');
    const message = body.data.find((entry: { path: string }) => entry.path === '/v1/messages');
    expect(message).toMatchObject({ method: 'POST', status: 200, completed: true });
    expect(message.apiKeyHash).toMatch(/^sha256:/);
    expect(JSON.stringify(body)).not.toContain(apiKey);

    const limited = await admin('GET', '/_emulator/requests?limit=1');
    expect(limited.body.data).toHaveLength(1);
    expect((await admin('GET', '/_emulator/requests?limit=zero')).status).toBe(400);

    const cleared = await admin('DELETE', '/_emulator/requests');
    expect(cleared.body.cleared).toBeGreaterThanOrEqual(3);
    const after = await admin('GET', '/_emulator/requests');
    // Only the DELETE itself (logged when it finished) can be there now.
    expect(
      after.body.data.every((entry: { path: string }) => entry.path === '/_emulator/requests'),
    ).toBe(true);
  });

  it('replaces fault rules, validated, and never faults itself', async () => {
    const rules = [{ type: 'api_error', path: '/' }];
    expect(await admin('PUT', '/_emulator/faults', rules)).toMatchObject({
      status: 200,
      body: rules,
    });
    await expect(ask('boom')).rejects.toBeInstanceOf(Anthropic.InternalServerError);
    expect((await admin('GET', '/_emulator/faults')).body).toEqual(rules);
    expect((await admin('GET', '/_emulator/health')).status).toBe(200);
    expect((await admin('PUT', '/_emulator/faults', [])).body).toEqual([]);
    await expect(ask('fine again')).resolves.toMatchObject({ type: 'message' });

    const invalid = await admin('PUT', '/_emulator/faults', [{ type: 'meteor_strike' }]);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/0\.type/);
    expect((await admin('PUT', '/_emulator/faults', [{ type: 'api_error', rate: 2 }])).status).toBe(
      400,
    );
    expect((await admin('PUT', '/_emulator/faults', '{not json')).status).toBe(400);
  });

  it('sets rate limits that apply to the API but not to admin calls', async () => {
    const set = await admin('PUT', '/_emulator/rate-limits', { requestsPerMinute: 1 });
    expect(set).toMatchObject({ status: 200, body: { requestsPerMinute: 1 } });
    await ask('one');
    await expect(ask('two')).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    for (let index = 0; index < 3; index++) {
      expect((await admin('GET', '/_emulator/clock')).status).toBe(200);
    }
    await admin('PUT', '/_emulator/rate-limits', {});
    await expect(ask('three')).resolves.toMatchObject({ type: 'message' });
    expect((await admin('PUT', '/_emulator/rate-limits', { requestsPerMinute: -5 })).status).toBe(
      400,
    );
    expect((await admin('PUT', '/_emulator/rate-limits', { rpm: 5 })).status).toBe(400);
  });

  it('reads and advances the clock', async () => {
    const before = (await admin('GET', '/_emulator/clock')).body;
    expect(before.adjustable).toBe(true);
    const after = await admin('POST', '/_emulator/clock/advance', { ms: 3_600_000 });
    expect(after.status).toBe(200);
    expect(after.body.nowMs - before.nowMs).toBeGreaterThanOrEqual(3_600_000);
    expect(Date.parse(after.body.now)).toBe(after.body.nowMs);
    expect((await admin('POST', '/_emulator/clock/advance', { ms: -1 })).status).toBe(400);
    expect((await admin('POST', '/_emulator/clock/advance', {})).status).toBe(400);
  });

  it('refuses to advance a clock that cannot move', async () => {
    const fixed = await startEmulator({ clock: { now: () => 0 } });
    try {
      const response = await fetch(`${fixed.url}/_emulator/clock/advance`, {
        method: 'POST',
        body: JSON.stringify({ ms: 10 }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
        /cannot be advanced/,
      );
    } finally {
      await fixed.close();
    }
  });

  it('resets the prompt cache', async () => {
    const system = [
      {
        type: 'text' as const,
        text: 'policy '.repeat(3000),
        cache_control: { type: 'ephemeral' as const },
      },
    ];
    const cached = () =>
      client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 20,
        system,
        messages: [{ role: 'user', content: 'cache me' }],
      });
    expect((await cached()).usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect((await cached()).usage.cache_read_input_tokens).toBeGreaterThan(0);
    expect((await admin('POST', '/_emulator/cache/reset')).status).toBe(200);
    const afterReset = await cached();
    expect(afterReset.usage.cache_read_input_tokens).toBe(0);
    expect(afterReset.usage.cache_creation_input_tokens).toBeGreaterThan(0);
  });

  it('adds, lists and clears scenarios', async () => {
    const scenario = {
      name: 'weather',
      match: { userContains: ['weather in paris'] },
      replies: [{ content: [{ type: 'text', text: 'Sunny, 21 degrees.' }] }],
    };
    expect(await admin('POST', '/_emulator/scenarios', scenario)).toMatchObject({
      status: 201,
      body: { name: 'weather' },
    });
    const reply = await ask('What is the weather in Paris today?');
    expect(reply.content[0]).toMatchObject({ type: 'text', text: 'Sunny, 21 degrees.' });
    const listed = await admin('GET', '/_emulator/scenarios');
    expect(listed.body.map((item: { name: string }) => item.name)).toContain('weather');

    expect((await admin('DELETE', '/_emulator/scenarios')).status).toBe(200);
    const plain = await ask('What is the weather in Paris today?');
    expect(plain.content[0]).not.toMatchObject({ text: 'Sunny, 21 degrees.' });

    const invalid = await admin('POST', '/_emulator/scenarios', { name: 'x', replies: [] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/replies/);
  });

  it('answers unknown admin paths with 404 and wrong methods with 405', async () => {
    expect((await admin('GET', '/_emulator/nope')).status).toBe(404);
    expect((await admin('POST', '/_emulator/health')).status).toBe(405);
  });
});
