import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresTestSchema, type PostgresTestSchema } from '@keel/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssistantApiError, AssistantClient } from '../client/assistant-client.ts';
import { loadAssistantConfig } from '../config/assistant-config.ts';
import { startAssistantServer, type AssistantServer } from './start-assistant-server.ts';

const postgresUrl = process.env.KEEL_TEST_POSTGRES_URL;
const redisUrl = process.env.KEEL_TEST_REDIS_URL;
const prefix = `keel_test_${randomBytes(6).toString('hex')}:`;
let schema: PostgresTestSchema | undefined;
const servers: AssistantServer[] = [];
const scratch: string[] = [];

async function instance(): Promise<AssistantServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-scale-'));
  scratch.push(dataDir);
  const server = await startAssistantServer({
    port: 0,
    config: { ...loadAssistantConfig(), rateLimits: { requestsPerMinute: 3 } },
    dataDir,
    env: {},
    databaseUrl: postgresUrl!,
    databaseSchema: schema!.schema,
    redisUrl: redisUrl!,
    redisKeyPrefix: prefix,
    logger: false,
    // One frozen mid-minute clock, so the shared rate-limit window cannot roll over mid-test.
    now: () => Date.UTC(2026, 2, 1, 12, 0, 30),
  });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  if (!postgresUrl || !redisUrl) return;
  schema = await createPostgresTestSchema(postgresUrl);
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await schema?.drop();
  if (redisUrl) {
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!postgresUrl || !redisUrl)('two instances on PostgreSQL and Redis', () => {
  it(
    'share accounts, sessions, the ledger, budgets and the rate limit',
    { timeout: 60_000 },
    async () => {
      const first = await instance();
      const second = await instance();
      const onFirst = new AssistantClient({ baseUrl: first.url });
      await onFirst.login('alice@example.com', 'alice-demo');
      // The login made on the first instance is valid on the second.
      const onSecond = new AssistantClient({ baseUrl: second.url, token: onFirst.token! });

      const session = await onFirst.createSession('Shared');
      const answer = async (client: AssistantClient, text: string) => {
        const types: string[] = [];
        for await (const event of client.send(session.id, { text })) types.push(event.type);
        return types;
      };
      expect((await answer(onFirst, 'What is the status of ORD-10000001?')).at(-1)).toBe('done');
      // Continued on the other instance, with the first turn in its history.
      const seen = await onSecond.getSession(session.id);
      expect(seen.messages.length).toBe(4);
      expect((await answer(onSecond, 'And what is your return window?')).at(-1)).toBe('done');
      const both = await onFirst.getSession(session.id);
      expect(both.messages.length).toBeGreaterThanOrEqual(6);
      expect(new Set(both.messages.map((message) => message.status))).toEqual(
        new Set(['complete']),
      );
      expect(JSON.stringify(both.messages[4]!.content)).toContain('return window');

      // One ledger and one set of budget counters for both: a ledger entry per model call, from
      // either instance.
      const entries = await first.runtime.ledger.list({ session: session.id });
      const modelCalls = both.messages.filter((message) => message.role === 'assistant').length;
      expect(entries.length).toBe(modelCalls);
      const standing = await second.runtime.budgets!.standing({
        user: 'cust_alice',
        session: session.id,
      });
      const total = await first.runtime.ledger.total({ session: session.id });
      expect(standing.find((entry) => entry.limit.scope === 'session')!.spent.picoUsd).toBe(
        total.costPicoUsd,
      );

      // Three messages a minute in total, wherever they land.
      expect((await answer(onFirst, 'Hello')).at(-1)).toBe('done');
      const refused = await answer(onSecond, 'Hello again').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(AssistantApiError);
      expect((refused as AssistantApiError).code).toBe('rate_limited');
      expect((refused as AssistantApiError).details.status).toBe(429);
    },
  );
});
