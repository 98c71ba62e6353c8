import { afterAll, describe, expect, it } from 'vitest';
import { AssistantClient } from '../client/assistant-client.ts';
import type { RegistrationConfig } from '../config/front-door-config.ts';
import { startFrontDoorServer, type FrontDoorServer } from '../test-support/front-door-server.ts';

const opened: FrontDoorServer[] = [];
afterAll(async () => {
  for (const door of opened) await door.close();
});

async function serverWith(registration: Partial<RegistrationConfig>) {
  const door = await startFrontDoorServer({
    configure: (config) => ({
      ...config,
      registration: { ...config.registration, ...registration },
    }),
  });
  opened.push(door);
  return door;
}

let counter = 0;
const register = (door: FrontDoorServer, extra: Record<string, unknown> = {}) =>
  fetch(`${door.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `new-${++counter}@example.com`,
      password: 'correct horse',
      displayName: 'New',
      ...extra,
    }),
  });

const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

async function createInvite(door: FrontDoorServer, email: string, password: string) {
  const client = new AssistantClient({ baseUrl: door.url });
  await client.login(email, password);
  return fetch(`${door.url}/api/invites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${client.token}` },
    body: '{}',
  });
}

describe('registration modes, over real HTTP', () => {
  it('says its mode in /api/status, so the sign-in page knows whether to ask for an invite code', async () => {
    for (const mode of ['open', 'invite', 'closed'] as const) {
      const door = await serverWith({ mode });
      const status = (await (await fetch(`${door.url}/api/status`)).json()) as {
        registration: unknown;
      };
      expect(status.registration).toEqual({ mode });
    }
  });

  it('closed: refuses everyone with 403 registration_closed and says whom to ask', async () => {
    const door = await serverWith({ mode: 'closed' });
    const response = await register(door);
    expect(response.status).toBe(403);
    const error = await errorOf(response);
    expect(error.code).toBe('registration_closed');
    expect(error.message).toContain('operator');
  });

  it('invite: needs a code an admin made; each code works once and only its hash is stored', async () => {
    const door = await serverWith({ mode: 'invite' });
    const without = await register(door);
    expect(without.status).toBe(403);
    expect(await errorOf(without)).toMatchObject({ code: 'invite_required' });

    expect((await createInvite(door, 'alice@example.com', 'alice-demo')).status).toBe(403);
    const created = await createInvite(door, 'admin@example.com', 'admin-demo');
    expect(created.status).toBe(201);
    const { code, expiresAtMs } = (await created.json()) as { code: string; expiresAtMs: number };
    expect(expiresAtMs).toBeGreaterThan(Date.now());

    expect((await register(door, { inviteCode: 'keel_inv_made-up' })).status).toBe(403);
    const first = await register(door, { inviteCode: code });
    expect(first.status).toBe(201);
    const again = await register(door, { inviteCode: code });
    expect(again.status).toBe(403);
    expect((await errorOf(again)).message).toContain('not valid');

    const rows = await door.server.runtime.storage.query('SELECT * FROM keel_invites');
    expect(rows).toHaveLength(1);
    expect(Object.values(rows[0]!).map(String)).not.toContain(code);
    expect(String(rows[0]!.code_hash)).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.used_by).toMatch(/^user_/);
  });

  it('invite: a registration refused for a taken email does not use up the code', async () => {
    const door = await serverWith({ mode: 'invite' });
    const { code } = (await (
      await createInvite(door, 'admin@example.com', 'admin-demo')
    ).json()) as {
      code: string;
    };
    const taken = await register(door, { inviteCode: code, email: 'alice@example.com' });
    expect(taken.status).toBe(409);
    expect((await register(door, { inviteCode: code })).status).toBe(201);
  });

  it('open: throttled per address, the attempt over the hourly cap is 429 with retry-after', async () => {
    const door = await serverWith({ mode: 'open', perAddressPerHour: 3 });
    for (let attempt = 0; attempt < 3; attempt++) expect((await register(door)).status).toBe(201);
    const over = await register(door);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await errorOf(over)).toMatchObject({ code: 'registration_throttled' });
  });
});
