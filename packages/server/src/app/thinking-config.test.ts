import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssistantClient } from '../client/assistant-client.ts';
import { collect, openTestAssistant, type TestAssistant } from '../test-support/test-assistant.ts';

let assistant: TestAssistant;
let alice: AssistantClient;

beforeAll(async () => {
  assistant = await openTestAssistant({
    configure: (config) => ({
      ...config,
      models: { chat: 'claude-sonnet-5-5' },
      thinkingBudgetTokens: 8000,
    }),
  });
  alice = await assistant.login('alice@example.com', 'alice-demo');
});
afterAll(() => assistant?.close());

describe('a configured thinking budget', () => {
  // Sonnet 5.5 refuses manual budgets (`thinking.type.enabled` is a 400 there): the budget must
  // reach it as adaptive thinking, or every turn of such an assistant fails.
  it('answers on a model that only thinks adaptively', async () => {
    const session = await alice.createSession();
    const events = await collect(
      alice.send(session.id, { text: 'Explain why a refund might take a week.' }),
    );
    expect(events.filter((event) => event.type === 'error')).toEqual([]);
    expect(events.at(-1)?.type).toBe('done');
  });
});
