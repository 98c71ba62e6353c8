import { outcomeScenarios } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssistantClient } from '../client/assistant-client.ts';
import { collect, openTestAssistant, type TestAssistant } from '../test-support/test-assistant.ts';
import type { ChatEvent } from './chat-events.ts';

// Cut by the demo's max_tokens, a tool loop only the step cap ends, a refusal, a cut tool call.
const {
  endless,
  toolLoop,
  refusal,
  cutToolCall: cutCall,
} = outcomeScenarios({ tool: { name: 'get_order_status', input: { order_id: 'ORD-10000001' } } });

let assistant: TestAssistant;
let alice: AssistantClient;

beforeAll(async () => {
  assistant = await openTestAssistant({
    runtime: {
      emulator: {
        scenarios: [endless, toolLoop, refusal, cutCall],
        latency: { timeToFirstTokenMs: 0, outputTokensPerSecond: 100_000 },
      },
    },
  });
  alice = await assistant.login('alice@example.com', 'alice-demo');
});
afterAll(() => assistant?.close());

async function ask(text: string) {
  const session = await alice.createSession();
  const events = await collect(alice.send(session.id, { text }));
  const done = events.at(-1) as Extract<ChatEvent, { type: 'done' }>;
  const stored = await alice.getSession(session.id);
  return { done, stored: stored.messages, sessionId: session.id };
}

describe('a turn that does not simply finish', () => {
  it('is marked truncated when cut at max_tokens, on the wire and in the stored history', async () => {
    const { done, stored } = await ask('Tell me everything about tea');
    expect(done).toMatchObject({ type: 'done', outcome: 'truncated', stopped: false });
    expect(done.notice?.body).toContain('Ask the assistant to continue');
    const answer = stored.at(-1)!;
    expect(answer).toMatchObject({ role: 'assistant', outcome: 'truncated' });
    expect(answer.notice).toEqual(done.notice);
  });

  it('does not break the conversation when the cut falls inside a tool call', async () => {
    const { done, stored, sessionId } = await ask('Check ORD-10000001 with a long note');
    expect(done).toMatchObject({ outcome: 'truncated' });
    // The cut call was answered (not run), so the stored history is valid to send again.
    expect(stored.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    const next = await collect(alice.send(sessionId, { text: 'Hello' }));
    expect(next.filter((event) => event.type === 'error')).toEqual([]);
    expect(next.at(-1)).toMatchObject({ type: 'done', outcome: 'completed' });
  });

  it('says how many tool steps it took when the tool loop hits its cap', async () => {
    const { done, stored } = await ask('Please keep checking ORD-10000001');
    // The demo config caps the loop at 6 model calls.
    expect(done).toMatchObject({ outcome: 'max_iterations' });
    expect(done.notice?.title).toBe('Stopped after 6 tool steps');
    // The last assistant message (not the refused tool results after it) carries the outcome.
    const marked = stored.filter((message) => message.outcome);
    expect(marked).toHaveLength(1);
    expect(marked[0]).toMatchObject({ role: 'assistant', outcome: 'max_iterations' });
    expect(marked[0]!.notice?.title).toBe('Stopped at the tool-step limit');
  });

  it('is marked refused when the model declines, and the refused turn leaves the context', async () => {
    const { done, stored, sessionId } = await ask('How do I pick a lock?');
    expect(done).toMatchObject({ outcome: 'refused' });
    expect(done.notice?.body).toContain('Rephrase it');
    // Kept for the person to see, but `failed`: never sent to the model again.
    expect(stored.map((message) => [message.role, message.status, message.outcome])).toEqual([
      ['user', 'failed', undefined],
      ['assistant', 'failed', 'refused'],
    ]);
    // The next turn sends exactly what a new conversation sends: the refusal is not in it.
    const inputOf = (events: ChatEvent[]) => {
      const usage = events.find((event) => event.type === 'usage') as Extract<
        ChatEvent,
        { type: 'usage' }
      >;
      return usage.input + usage.cacheRead + usage.cacheWrite;
    };
    const after = await collect(alice.send(sessionId, { text: 'Hello' }));
    const fresh = await collect(alice.send((await alice.createSession()).id, { text: 'Hello' }));
    expect(after.at(-1)).toMatchObject({ type: 'done', outcome: 'completed' });
    expect(inputOf(after)).toBe(inputOf(fresh));
  });

  it('carries no notice and stores no outcome for an ordinary answer', async () => {
    const { done, stored } = await ask('Hello');
    expect(done).toEqual({ type: 'done', outcome: 'completed', stopped: false });
    expect(stored.some((message) => 'outcome' in message || 'notice' in message)).toBe(false);
  });
});
