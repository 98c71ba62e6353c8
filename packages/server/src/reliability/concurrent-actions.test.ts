import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../chat/chat-events.ts';
import { readSseEvents } from '@keel/protocol';
import {
  longStory,
  openTestAssistant,
  type TestAssistant,
} from '../test-support/test-assistant.ts';
import { expectSpendAccounted, expectTypedEnding, sendTurn } from './turn-invariants.ts';

// What a user with two tabs, a flaky connection and an itchy stop button does to one session:
// random actions started at random moments, overlapping. Whatever the interleaving, every
// request gets a non-5xx answer, every stream ends typed, no hold outlives the turns, and a
// session that was not deleted still answers.

const numRuns = 30;
const user = 'cust_alice';

type Action = 'send' | 'send-long' | 'send-bad-image' | 'stop' | 'rename' | 'read' | 'delete';

const actions = fc.array(
  fc.record({
    action: fc.constantFrom<Action>(
      'send',
      'send',
      'send-long',
      'send-long',
      'send-bad-image',
      'stop',
      'stop',
      'rename',
      'read',
      'delete',
    ),
    /** When it starts, ms after the first. */
    delayMs: fc.integer({ min: 0, max: 60 }),
    /** Abandons a streamed answer after this many events (the tab closed), or reads it all. */
    abandonAfter: fc.option(fc.integer({ min: 1, max: 5 }), { freq: 4, nil: undefined }),
  }),
  { minLength: 2, maxLength: 6 },
);

let assistant: TestAssistant;
let token: string;
let runs = 0;
let requests = 0;
/** How the requests ended: HTTP status, or the stream's ending. */
const endings = new Map<string, number>();
const count = (key: string) => endings.set(key, (endings.get(key) ?? 0) + 1);

beforeAll(async () => {
  assistant = await openTestAssistant({
    configure: (config) => ({ ...config, rateLimits: { requestsPerMinute: 1_000_000 } }),
    // The long story streams fast, so a run is short but stops still land mid-answer.
    runtime: {
      emulator: {
        scenarios: [longStory],
        latency: { timeToFirstTokenMs: 0, outputTokensPerSecond: 20_000 },
      },
    },
  });
  token = (await assistant.login('alice@example.com', 'alice-demo')).token!;
});

afterAll(async () => {
  console.info(
    `[reliability] concurrent actions: ${runs} random interleavings, ${requests} requests, endings ${JSON.stringify(Object.fromEntries([...endings].sort()))}`,
  );
  await assistant?.close();
});

const headers = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

async function perform(
  sessionId: string,
  step: { action: Action; abandonAfter: number | undefined },
): Promise<void> {
  const path = `/api/sessions/${sessionId}`;
  const text = {
    send: 'What is the status of order ORD-10000001?',
    'send-long': 'Tell me a long story about tea',
    // Bytes that are not the PNG the type claims.
    'send-bad-image': 'What is in this photo?',
  };
  let response: Response;
  const abort = new AbortController();
  switch (step.action) {
    case 'send':
    case 'send-long':
    case 'send-bad-image':
      response = await assistant.app.request(`${path}/messages`, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({
          text: text[step.action],
          ...(step.action === 'send-bad-image'
            ? { images: [{ mediaType: 'image/png', data: '/9j/4AAQSkZJRgABAQAAAQABAAD/2w==' }] }
            : {}),
        }),
        signal: abort.signal,
      });
      break;
    case 'stop':
      response = await assistant.app.request(`${path}/stop`, {
        method: 'POST',
        headers: headers(),
      });
      break;
    case 'rename':
      response = await assistant.app.request(path, {
        method: 'PATCH',
        headers: headers(),
        body: JSON.stringify({ title: 'Renamed' }),
      });
      break;
    case 'read':
      response = await assistant.app.request(path, { headers: headers() });
      break;
    case 'delete':
      response = await assistant.app.request(path, { method: 'DELETE', headers: headers() });
      break;
  }
  requests += 1;
  expect(response.status, `${step.action}: ${response.status}`).toBeLessThan(500);
  if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const body = (await response.json()) as { error?: { code: string } };
    if (response.status >= 400) expect(body.error?.code).toMatch(/^[a-z_]+$/);
    count(`${step.action} ${response.status}${body.error ? ` ${body.error.code}` : ''}`);
    return;
  }
  const events: ChatEvent[] = [];
  for await (const event of readSseEvents(response.body!)) {
    events.push({ type: event.event, ...(JSON.parse(event.data) as object) } as ChatEvent);
    if (step.abandonAfter !== undefined && events.length >= step.abandonAfter) {
      // The tab closes: the server sees the client go and must end the turn by itself.
      abort.abort();
      await response.body!.cancel().catch(() => {});
      count(`${step.action} abandoned`);
      return;
    }
  }
  const ending = expectTypedEnding({ status: response.status, events });
  count(
    `${step.action} ${ending.type === 'done' ? `done${ending.stopped ? ' stopped' : ''}` : ending.type === 'error' ? `error ${ending.code}` : ending.type}`,
  );
}

async function settled(sessionId: string): Promise<void> {
  for (let attempt = 0; attempt < 200 && assistant.runtime.turns.has(sessionId); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(assistant.runtime.turns.has(sessionId), 'a turn never ended').toBe(false);
}

describe('random overlapping actions on one session', () => {
  it('never a 5xx, typed endings, no hold left, and the session (if kept) still answers', async () => {
    await fc.assert(
      fc.asyncProperty(actions, async (steps) => {
        runs += 1;
        const sessionId = (await assistant.client(token).createSession()).id;
        await Promise.all(
          steps.map(async (step) => {
            await new Promise((resolve) => setTimeout(resolve, step.delayMs));
            await perform(sessionId, step);
          }),
        );
        await settled(sessionId);
        await expectSpendAccounted({ assistant, calls: undefined, user, sessionId });
        const read = await assistant.app.request(`/api/sessions/${sessionId}`, {
          headers: headers(),
        });
        if (read.status === 404) return; // deleted: nothing left to break
        const stored = (await read.json()) as { messages: Array<{ status: string }> };
        expect(stored.messages.map((message) => message.status)).not.toContain('streaming');
        const next = await sendTurn(assistant, token, sessionId, 'Thanks, hello again.');
        expect(expectTypedEnding(next), 'the session no longer answers').toMatchObject({
          type: 'done',
        });
      }),
      { numRuns },
    );
  }, 180_000);
});
