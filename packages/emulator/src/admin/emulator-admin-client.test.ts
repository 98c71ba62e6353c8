import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '@keel/errors';
import { startEmulator, type EmulatorHandle } from '../index.ts';
import { EmulatorAdmin, EmulatorAdminError } from './emulator-admin-client.ts';

let emulator: EmulatorHandle;
let admin: EmulatorAdmin;
let client: Anthropic;

beforeAll(async () => {
  emulator = await startEmulator();
  admin = new EmulatorAdmin({ baseUrl: `${emulator.url}/` });
  client = new Anthropic({ apiKey: 'client-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

describe('EmulatorAdmin', () => {
  it('checks health', async () => {
    expect(await admin.health()).toMatchObject({ status: 'ok', mode: 'emulate' });
  });

  it('reads and clears the request log', async () => {
    await admin.clearRequests();
    await client.models.retrieve('claude-sonnet-4-6');
    const entries = await admin.requests({ limit: 5 });
    expect(entries.some((entry) => entry.path === '/v1/models/claude-sonnet-4-6')).toBe(true);
    expect(await admin.clearRequests()).toBeGreaterThanOrEqual(1);
  });

  it('moves the clock', async () => {
    const before = await admin.clock();
    const after = await admin.advanceClock(60_000);
    expect(after.nowMs - before.nowMs).toBeGreaterThanOrEqual(60_000);
    expect(after.adjustable).toBe(true);
  });

  it('swaps faults and rate limits', async () => {
    expect(await admin.setFaults([{ type: 'overloaded', count: 1 }])).toEqual([
      { type: 'overloaded', count: 1 },
    ]);
    await expect(
      client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 529 });
    expect(await admin.faults()).toEqual([{ type: 'overloaded', count: 0 }]);
    await admin.setFaults([]);
    expect(await admin.setRateLimits({ outputTokensPerMinute: 1000 })).toEqual({
      outputTokensPerMinute: 1000,
    });
    await admin.setRateLimits({});
    await admin.resetCache();
  });

  it('adds, lists and clears scenarios', async () => {
    await admin.addScenario({
      name: 'admin-client',
      match: { userContains: ['admin client check'] },
      replies: [{ content: [{ type: 'text', text: 'scripted' }] }],
    });
    expect((await admin.scenarios()).map((scenario) => scenario.name)).toContain('admin-client');
    const reply = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'admin client check' }],
    });
    expect(reply.content[0]).toMatchObject({ type: 'text', text: 'scripted' });
    await admin.clearScenarios();
    expect(await admin.scenarios()).toEqual([]);
  });

  it('raises a typed error with the emulator reason on a refused call', async () => {
    const error = await admin
      .setFaults([{ type: 'nope' } as never])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmulatorAdminError);
    expect(error).toBeInstanceOf(KeelError);
    expect((error as EmulatorAdminError).code).toBe('emulator_admin_failed');
    expect((error as EmulatorAdminError).details).toMatchObject({
      method: 'PUT',
      path: '/_emulator/faults',
      status: 400,
    });
    expect((error as EmulatorAdminError).details.reason).toMatch(/type/);
  });

  it('raises status 0 when the emulator cannot be reached', async () => {
    const nowhere = new EmulatorAdmin({ baseUrl: 'http://127.0.0.1:1' });
    const error = await nowhere.health().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmulatorAdminError);
    expect((error as EmulatorAdminError).details.status).toBe(0);
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const recording = new EmulatorAdmin({
      baseUrl: emulator.url,
      fetch: (input, init) => {
        calls.push(`${init?.method} ${String(input)}`);
        return fetch(input, init);
      },
    });
    await recording.clearScenarios().catch(() => undefined);
    expect(calls).toEqual([`DELETE ${emulator.url}/_emulator/scenarios`]);
  });
});
