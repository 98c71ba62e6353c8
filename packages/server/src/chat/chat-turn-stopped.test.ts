import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssistantClient } from '../client/assistant-client.ts';
import { openTestAssistant, type TestAssistant } from '../test-support/test-assistant.ts';
import type { ChatEvent } from './chat-events.ts';

let assistant: TestAssistant;
let alice: AssistantClient;

beforeAll(async () => {
  // The demo emulator's default pace, so the stop lands while the long story is still streaming.
  assistant = await openTestAssistant();
  alice = await assistant.login('alice@example.com', 'alice-demo');
});
afterAll(() => assistant?.close());

describe('an answer the person stopped', () => {
  it('keeps its stopped notice after a reload, the same words the live done event carried', async () => {
    const session = await alice.createSession();
    const events: ChatEvent[] = [];
    let stopped: Promise<boolean> | undefined;
    for await (const event of alice.send(session.id, { text: 'Tell me a long story about tea' })) {
      events.push(event);
      if (event.type === 'text-delta' && !stopped) stopped = alice.stop(session.id);
    }
    expect(await stopped).toBe(true);
    const done = events.at(-1) as Extract<ChatEvent, { type: 'done' }>;
    expect(done).toMatchObject({ type: 'done', outcome: 'stopped', stopped: true });
    expect(done.notice?.title).toBeTruthy();

    const stored = await alice.getSession(session.id);
    expect(
      stored.messages.map((message) => [message.role, message.status, message.outcome]),
    ).toEqual([
      ['user', 'complete', undefined],
      ['assistant', 'incomplete', 'stopped'],
    ]);
    expect(stored.messages[1]!.notice).toEqual(done.notice);
  });
});
