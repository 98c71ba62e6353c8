import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collect,
  longStory,
  openTestAssistant,
  type TestAssistant,
} from '../test-support/test-assistant.ts';

describe('the turn deadline (timeouts.turnMs)', () => {
  let assistant: TestAssistant;
  beforeAll(async () => {
    assistant = await openTestAssistant({
      configure: (config) => ({ ...config, timeouts: { attemptMs: 60_000, turnMs: 1000 } }),
      // 1,024 tokens at 40 a second: the answer would take about 25 s, far past the 1 s deadline.
      runtime: {
        emulator: {
          scenarios: [longStory],
          latency: { timeToFirstTokenMs: 0, outputTokensPerSecond: 40 },
        },
      },
    });
  });
  afterAll(() => assistant.close());

  it('stops a slow answer with a typed error, keeps it incomplete, and still charges its spend', async () => {
    const client = await assistant.login('alice@example.com', 'alice-demo');
    const session = await client.createSession('Slow');
    const events = await collect(
      client.send(session.id, { text: 'Tell me a long story about tea' }),
    );

    expect(events.some((event) => event.type === 'text-delta')).toBe(true);
    const error = events.find((event) => event.type === 'error');
    expect(error).toMatchObject({
      code: 'turn_deadline_exceeded',
      message: expect.stringContaining('longer than 1 s'),
    });
    expect(events.some((event) => event.type === 'done')).toBe(false);

    const stored = await client.getSession(session.id);
    expect(stored.messages.at(-1)).toMatchObject({ role: 'assistant', status: 'incomplete' });

    // The stopped call is in the ledger with what it had spent, and its hold became that spend.
    await assistant.runtime.client.flush();
    const [call] = await assistant.runtime.ledger.list({ session: session.id });
    expect(call).toMatchObject({ status: 'complete', partial: true });
    expect(call!.costPicoUsd! > 0n).toBe(true);
    const standing = await assistant.runtime.budgets!.standing({
      user: call!.tags.user!,
      session: session.id,
    });
    for (const limit of standing) {
      expect(limit.reserved.picoUsd).toBe(0n);
      expect(limit.spent.picoUsd).toBe(call!.costPicoUsd);
    }
  });
});
