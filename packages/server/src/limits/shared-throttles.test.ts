import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startAssistantServer, type AssistantServer } from '../app/start-assistant-server.ts';
import { loadAssistantConfig } from '../config/assistant-config.ts';

const redisUrl = process.env.KEEL_TEST_REDIS_URL;
const prefix = `keel_test_${randomBytes(6).toString('hex')}:`;
const servers: AssistantServer[] = [];
const scratch: string[] = [];

/** A `keel serve` of its own (own SQLite file) that shares only Redis with the others. */
async function instance(): Promise<AssistantServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-throttle-'));
  scratch.push(dataDir);
  const config = loadAssistantConfig();
  const server = await startAssistantServer({
    port: 0,
    config: { ...config, registration: { ...config.registration, perAddressPerHour: 3 } },
    dataDir,
    env: {},
    redisUrl: redisUrl!,
    redisKeyPrefix: prefix,
    logger: false,
    // One frozen clock, so no lock or hourly window runs out mid-test.
    now: () => Date.UTC(2026, 2, 1, 12, 30, 0),
  });
  servers.push(server);
  return server;
}

afterAll(async () => {
  for (const server of servers) await server.close();
  if (redisUrl) {
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

const post = (server: AssistantServer, path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const codeOf = async (response: Response) =>
  ((await response.json()) as { error?: { code: string } }).error?.code;

describe.skipIf(!redisUrl)('login and registration throttles shared by two instances', () => {
  it(
    'locks an account on both once six failures land across them, the right password too',
    { timeout: 60_000 },
    async () => {
      const [first, second] = [await instance(), await instance()];
      const login = (server: AssistantServer, password: string) =>
        post(server, '/api/auth/login', { email: 'alice@example.com', password });
      // Five free failures, split between the instances.
      for (const server of [first, second, first, second, first]) {
        expect((await login(server, 'wrong-password')).status).toBe(401);
      }
      // The sixth lands on the other instance and locks the account for both.
      expect((await login(second, 'wrong-password')).status).toBe(401);
      for (const server of [first, second]) {
        const refused = await login(server, 'alice-demo');
        expect(refused.status).toBe(429);
        expect(refused.headers.get('retry-after')).toBe('1');
        expect(await codeOf(refused)).toBe('login_throttled');
      }
      // Another account is not affected.
      expect(
        (
          await post(first, '/api/auth/login', {
            email: 'bob@example.com',
            password: 'bob-demo',
          })
        ).status,
      ).toBe(200);
    },
  );

  it('counts registrations from one address on either instance against one hourly limit', async () => {
    const [first, second] = [await instance(), await instance()];
    const register = (server: AssistantServer, n: number) =>
      post(server, '/api/auth/register', {
        email: `new-${n}@example.com`,
        password: 'long-enough-password',
        displayName: `New ${n}`,
      });
    expect((await register(first, 1)).status).toBe(201);
    expect((await register(second, 2)).status).toBe(201);
    expect((await register(first, 3)).status).toBe(201);
    const fourth = await register(second, 4);
    expect(fourth.status).toBe(429);
    expect(await codeOf(fourth)).toBe('registration_throttled');
    expect(Number(fourth.headers.get('retry-after'))).toBe(1800);
  });
});
