import { EmulatorAdmin, type RequestLogEntry } from '@keel/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from './chat-events.ts';
import { AssistantApiError, type AssistantClient } from '../client/assistant-client.ts';
import { collect, openTestAssistant, type TestAssistant } from '../test-support/test-assistant.ts';
import { attachment, jpegImage, pngImage } from '../test-support/test-images.ts';

// Issue 13, item 2: one bad upload or one refused request must not break a conversation for good.
// Every case runs over the HTTP API against the embedded emulator, which checks images' bytes
// against their declared type and refuses bodies over 32 MiB, as the real API does.

let assistant: TestAssistant;
let alice: AssistantClient;
let admin: EmulatorAdmin;

/** Replies LEAKED when a later request still carries the text of a failed turn. */
const leakMarker = 'zebra-7731';

beforeAll(async () => {
  assistant = await openTestAssistant();
  alice = await assistant.login('alice@example.com', 'alice-demo');
  admin = new EmulatorAdmin({ baseUrl: assistant.runtime.emulator!.url });
  await admin.addScenario({
    name: 'failed-turn-leak',
    match: { userContains: [leakMarker] },
    replies: [{ content: [{ type: 'text', text: 'LEAKED: a failed turn was sent again.' }] }],
  });
});
afterAll(async () => {
  await assistant?.close();
});
beforeEach(async () => {
  await admin.setFaults([]);
});

const answerText = (events: ChatEvent[]) =>
  events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');
const statuses = async (sessionId: string) =>
  (await alice.getSession(sessionId)).messages.map((message) => [message.role, message.status]);
const messagesRequests = async (): Promise<RequestLogEntry[]> =>
  (await admin.requests()).filter((entry) => entry.path === '/v1/messages');

async function refusal(promise: Promise<unknown>): Promise<AssistantApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AssistantApiError);
  return error as AssistantApiError;
}

/** A turn that must end normally, and did not see a failed turn. */
async function expectHealthyTurn(sessionId: string, text: string) {
  const events = await collect(alice.send(sessionId, { text }));
  expect(events.at(-1)).toMatchObject({ type: 'done' });
  expect(answerText(events)).not.toContain('LEAKED');
  return events;
}

describe('sessions cannot be poisoned', () => {
  it('refuses a JPEG labelled image/png with a clear 400 naming it; nothing is stored or sent, the session goes on', async () => {
    const session = await alice.createSession();
    await admin.clearRequests();
    const error = await refusal(
      collect(
        alice.send(session.id, {
          text: `My kettle ${leakMarker}`,
          images: [
            attachment('image/png', pngImage(2, 2)),
            attachment('image/png', jpegImage(640, 480)),
          ],
        }),
      ),
    );
    expect(error.details.status).toBe(400);
    expect(error.code).toBe('image_type_mismatch');
    expect(error.message).toContain('Image 2 is labelled image/png');
    expect(error.message).toContain('JPEG image (image/jpeg)');
    expect(error.details.details).toEqual({
      image: 2,
      declared: 'image/png',
      detected: 'image/jpeg',
    });
    expect(await alice.getSession(session.id).then((view) => view.messages)).toEqual([]);
    expect(await messagesRequests()).toEqual([]);

    await expectHealthyTurn(session.id, 'Is the blue kettle dishwasher safe?');
    // The same photo, labelled as what it is, is accepted and reaches the model.
    const events = await collect(
      alice.send(session.id, {
        text: 'Here it is again',
        images: [attachment('image/jpeg', jpegImage(640, 480))],
      }),
    );
    expect(events.at(-1)).toMatchObject({ type: 'done' });
    expect(answerText(events)).toContain('JPEG image, 640x480');
    expect(await statuses(session.id)).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
  });

  it('refuses an oversize image (413) and too many images (400); nothing is stored', async () => {
    const session = await alice.createSession();
    // 4.9 MB of JPEG is 6.5 MB of base64, over the API's 5 MiB per image (it counts base64).
    const big = attachment('image/jpeg', jpegImage(1200, 900, 4_900_000));
    const oversize = await refusal(collect(alice.send(session.id, { text: 'x', images: [big] })));
    expect([oversize.details.status, oversize.code]).toEqual([413, 'payload_too_large']);
    expect(oversize.message).toMatch(/^Image 1 is 6\.5 MB; the limit is 5\.2 MB per image\./);
    const tiny = attachment('image/png', pngImage(1, 1));
    const many = await refusal(
      collect(alice.send(session.id, { text: 'x', images: Array(5).fill(tiny) })),
    );
    expect([many.details.status, many.code]).toEqual([400, 'validation_failed']);
    const wide = await refusal(
      collect(
        alice.send(session.id, { text: 'x', images: [attachment('image/png', pngImage(8001, 1))] }),
      ),
    );
    expect([wide.details.status, wide.code]).toEqual([400, 'image_dimensions_too_large']);
    expect((await alice.getSession(session.id)).messages).toEqual([]);
    await expectHealthyTurn(session.id, 'Hello after all that');
  });

  it('keeps later requests under 32 MB after two turns of four large photos, and keeps every photo stored', async () => {
    const session = await alice.createSession();
    // 3.9 MB each: 5.2 MB of base64, just inside the per-image limit; 41.6 MB over two turns.
    const photos = (seed: number) =>
      [1, 2, 3, 4].map((n) =>
        attachment('image/jpeg', jpegImage(1600 + seed + n, 1200, 3_900_000)),
      );
    await admin.clearRequests();
    for (const [turn, text] of ['First four photos', 'Four more photos'].entries()) {
      const events = await collect(alice.send(session.id, { text, images: photos(turn * 10) }));
      expect(events.at(-1)).toMatchObject({ type: 'done' });
    }
    const events = await expectHealthyTurn(session.id, 'Which one shows the crack?');
    expect(events.some((event) => event.type === 'error')).toBe(false);
    const requests = await messagesRequests();
    expect(requests.map((entry) => entry.status)).toEqual([200, 200, 200]);
    const stored = await alice.getSession(session.id);
    const images = stored.messages.flatMap((message) =>
      message.content.filter((block) => block.type === 'image'),
    );
    expect(images).toHaveLength(8);
  });

  it.each([
    ['invalid_request', 'request_rejected'],
    ['request_too_large', 'request_too_large'],
  ] as const)(
    'stores a turn the API refuses (%s) as failed, says so in plain words, and the next turn goes on without it',
    async (fault, code) => {
      const session = await alice.createSession();
      await expectHealthyTurn(session.id, 'What is the warranty on kettles?');
      const before = await statuses(session.id);
      await admin.setFaults([{ type: fault, count: 1 }]);
      const failed = await collect(alice.send(session.id, { text: `Look ${leakMarker}` }));
      const error = failed.at(-1);
      expect(error).toMatchObject({ type: 'error', code });
      const message = (error as { message: string }).message;
      expect(message).not.toMatch(/[{}]|invalid_request_error|req_|emulator|\b4\d\d\b/);
      expect(message).toMatch(/not added to the conversation/);
      const failedTurn = [
        ['user', 'failed'],
        ['assistant', 'failed'],
      ];
      expect(await statuses(session.id)).toEqual([...before, ...failedTurn]);
      // On reload the failed turn is shown as failed, with the same reason, not as an answer.
      const reloaded = (await alice.getSession(session.id)).messages.at(-1)!;
      expect(reloaded.content).toEqual([{ type: 'text', text: message }]);

      await admin.clearRequests();
      await expectHealthyTurn(session.id, 'And how long does shipping take?');
      const next = await messagesRequests();
      expect(next.length).toBeGreaterThan(0);
      for (const entry of next) expect(entry).toMatchObject({ status: 200, scenario: null });
      const after = await statuses(session.id);
      expect(after.slice(0, before.length + 2)).toEqual([...before, ...failedTurn]);
      expect(after.slice(before.length + 2).every(([, status]) => status === 'complete')).toBe(
        true,
      );
    },
  );

  it('keeps a turn that failed for a transient reason (overloaded after every retry): the question stays and is answered next turn', async () => {
    const session = await alice.createSession();
    await admin.setFaults([{ type: 'overloaded', count: 4 }]);
    const failed = await collect(alice.send(session.id, { text: `Hello ${leakMarker}` }));
    expect(failed.at(-1)).toMatchObject({ type: 'error', code: 'service_busy' });
    expect((failed.at(-1) as { message: string }).message).not.toMatch(/[{}]|overloaded_error/);
    expect(await statuses(session.id)).toEqual([
      ['user', 'complete'],
      ['assistant', 'incomplete'],
    ]);
    // The kept question travels with the next one (the leak scenario is the proof it was sent).
    const next = await collect(alice.send(session.id, { text: 'Are you there?' }));
    expect(next.at(-1)).toMatchObject({ type: 'done' });
    expect(answerText(next)).toContain('LEAKED');
  });

  it('recovers a session poisoned before uploads were checked: a stored JPEG labelled PNG is not sent again', async () => {
    const session = await alice.createSession();
    const store = assistant.runtime.services.store;
    await store.append(session.id, 'cust_alice', {
      role: 'user',
      content: [
        {
          type: 'image',
          source: {
            type: 'base64',
            media_type: 'image/png',
            data: jpegImage(640, 480).toString('base64'),
          },
        },
        { type: 'text', text: 'My kettle' },
      ],
    });
    await store.append(session.id, 'cust_alice', {
      role: 'assistant',
      content: [{ type: 'text', text: 'Thanks for the photo.' }],
    });
    await admin.clearRequests();
    await expectHealthyTurn(session.id, 'Can you still help?');
    expect((await messagesRequests()).map((entry) => entry.status)).toEqual([200]);
    // Storage still holds the photo as it was sent.
    expect((await alice.getSession(session.id)).messages[0]!.content[0]).toEqual({
      type: 'image',
      mediaType: 'image/png',
    });
  });

  it('shows that the leak detector works: a user message left in the history is sent again', async () => {
    // What a refused turn used to leave behind (its user message stored complete): the next
    // request carries it, merged into the new user turn, and the scenario fires. Without this
    // check the "no LEAKED" assertions above could not fail.
    const session = await alice.createSession();
    await assistant.runtime.services.store.append(session.id, 'cust_alice', {
      role: 'user',
      content: [{ type: 'text', text: `Look ${leakMarker}` }],
    });
    const next = await collect(alice.send(session.id, { text: 'Go on' }));
    expect(answerText(next)).toContain('LEAKED');
  });
});
