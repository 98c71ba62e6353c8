import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestAssistant, type TestAssistant } from '../test-support/test-assistant.ts';

let assistant: TestAssistant;

beforeAll(async () => {
  assistant = await openTestAssistant();
});

afterAll(async () => {
  await assistant?.close();
});

const login = (email: string, password: string) =>
  assistant.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

describe('login throttling', () => {
  it('after 100 wrong passwords refuses the right one with 429 and retry-after', async () => {
    const statuses = new Set<number>();
    for (let attempt = 0; attempt < 100; attempt++) {
      const response = await login('alice@example.com', `guess-${attempt}`);
      statuses.add(response.status);
      await response.text();
    }
    expect(statuses).toEqual(new Set([401, 429]));

    const right = await login('alice@example.com', 'alice-demo');
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await right.json()).toMatchObject({ error: { code: 'login_throttled' } });
    expect(right.headers.get('set-cookie')).toBeNull();
  });
});
