import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssistantClient } from '../client/assistant-client.ts';
import { collect, openTestAssistant, type TestAssistant } from '../test-support/test-assistant.ts';

let assistant: TestAssistant;
let alice: AssistantClient;
let aliceId: string;

beforeAll(async () => {
  assistant = await openTestAssistant({
    configure: (config) => ({
      ...config,
      context: { ...config.context, strategy: 'last-messages', lastMessages: 2 },
    }),
  });
  alice = await assistant.login('alice@example.com', 'alice-demo');
  aliceId = (await alice.login('alice@example.com', 'alice-demo')).id;
});
afterAll(() => assistant?.close());

describe('the context strategy comes from the assistant config', () => {
  it('trims with the configured strategy (last 2 messages) and records where history starts', async () => {
    const session = await alice.createSession();
    for (const text of [
      'Hello there.',
      'What are your opening hours?',
      'Thanks, and one more thing.',
    ]) {
      const events = await collect(alice.send(session.id, { text }));
      expect(events.at(-1)?.type).toBe('done');
    }
    const stored = await assistant.runtime.conversations.messages(session.id, aliceId);
    expect(stored.length).toBeGreaterThanOrEqual(6);
    const conversation = await assistant.runtime.conversations.get(session.id, aliceId);
    expect(conversation.context.trimStart).toBeGreaterThan(0);
  });
});
