import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestAssistant, type TestAssistant } from '../test-support/test-assistant.ts';

let limited: TestAssistant;

beforeAll(async () => {
  limited = await openTestAssistant({
    configure: (config) => ({
      ...config,
      rateLimits: { requestsPerMinute: 2 },
      // Alice's first answer fits; a whole day's budget of one cent does not fit a second.
      budgets: [
        { scope: 'user', key: 'cust_bob', period: 'day', maxUsd: 0.001 },
        { scope: 'user', key: 'cust_alice', period: 'day', maxUsd: 0.05 },
      ],
    }),
    // Mid-minute and frozen, so the three requests share one rate-limit window.
    runtime: { now: () => Date.UTC(2026, 2, 1, 12, 0, 30) },
  });
});

afterAll(async () => {
  await limited?.close();
});

const send = (token: string, sessionId: string) =>
  limited.app.request(`/api/sessions/${sessionId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ text: 'Hello' }),
  });

describe('rate limits and budgets', () => {
  it('refuses the third message in a minute with 429, retry-after and the limit', async () => {
    const alice = await limited.login('alice@example.com', 'alice-demo');
    const session = await alice.createSession();
    for (let turn = 0; turn < 2; turn++) {
      const response = await send(alice.token!, session.id);
      expect(response.status).toBe(200);
      await response.text();
    }
    const refused = await send(alice.token!, session.id);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: expect.stringContaining('2 per minute'),
        details: { limit: 2, retryAfterSeconds: retryAfter },
      },
    });
  });

  it('refuses an answer over budget with 402, naming the scope, limit and spend, and stores nothing', async () => {
    const bob = await limited.login('bob@example.com', 'bob-demo');
    const session = await bob.createSession();
    const refused = await send(bob.token!, session.id);
    expect(refused.status).toBe(402);
    const body = (await refused.json()) as {
      error: { code: string; details: Record<string, string> };
    };
    expect(body.error.code).toBe('budget_exceeded');
    expect(body.error.details).toMatchObject({
      scope: 'user',
      scopeKey: 'cust_bob',
      unit: 'usd',
      limit: '0.001',
      spent: '0',
    });
    expect((await bob.getSession(session.id)).messages).toEqual([]);
    // The refusal left the session free for the next message.
    expect(limited.runtime.turns.has(session.id)).toBe(false);
    // No model call was made, so the ledger has nothing for Bob.
    expect(await limited.runtime.ledger.list({ user: 'cust_bob' })).toEqual([]);
  });

  it('settles each answer to its actual cost, so spend shows in the budget', async () => {
    const standing = await limited.runtime.budgets!.standing({ user: 'cust_alice' });
    const alices = standing.find((entry) => entry.limit.key === 'cust_alice')!;
    expect(alices.spent.picoUsd).toBeGreaterThan(0n);
    // Both answers finished: nothing is still held.
    expect(alices.reserved.picoUsd).toBe(0n);
    const ledgerTotal = await limited.runtime.ledger.total({ user: 'cust_alice' });
    expect(alices.spent.picoUsd).toBe(ledgerTotal.costPicoUsd);
  });
});
