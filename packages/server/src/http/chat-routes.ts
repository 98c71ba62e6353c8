import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AssistantRuntime } from '../app/assistant-runtime.ts';
import type { ChatEvent } from '../chat/chat-events.ts';
import { abortReasons, runChatTurn } from '../chat/chat-turn.ts';
import { validateImages } from '../chat/validate-images.ts';
import { sendMessageBody } from './api-schemas.ts';
import { authenticate } from './authenticate.ts';
import { readBody } from './read-body.ts';

const defaultTitle = 'New conversation';

/** `POST /api/sessions/:id/messages` (the streamed answer) and `POST /api/sessions/:id/stop`. */
export function chatRoutes(app: Hono, runtime: AssistantRuntime): void {
  const { accounts, conversations, services, turns, metrics } = runtime;

  app.post('/api/sessions/:id/messages', async (c) => {
    const account = await authenticate(c, accounts);
    await runtime.rateLimiter.hit(`user:${account.id}`);
    const body = await readBody(c, sendMessageBody, 'message');
    // Before anything is stored: a stored bad image would make every later turn fail upstream.
    validateImages({ images: body.images, maxDecodedBytes: runtime.config.images.maxBytes });
    const sessionId = c.req.param('id');
    const conversation = await conversations.get(sessionId, account.id);
    // The whole answer has a deadline (timeouts.turnMs); past it the turn is stopped and told so.
    const controller = turns.claim(sessionId, { deadlineMs: runtime.config.timeouts.turnMs });

    // The turn starts before the stream opens: its first model call reserves its worst case in the
    // client, from the request actually sent (history, images, tools, system, max_tokens). Until
    // that call is admitted, events are held back; a turn the budgets refuse stored nothing and is
    // answered with a plain 402 here.
    const pending: ChatEvent[] = [];
    let forward: ((event: ChatEvent) => void) | undefined;
    let admit: () => void = () => {};
    const admitted = new Promise<undefined>((resolve) => (admit = () => resolve(undefined)));
    const done = runChatTurn({
      services,
      account,
      conversationId: sessionId,
      text: body.text,
      images: body.images,
      signal: controller.signal,
      onAdmitted: () => admit(),
      emit: (event) => (forward ? forward(event) : pending.push(event)),
    });
    turns.track(sessionId, done);
    let early: Awaited<typeof done> | undefined;
    try {
      early = await Promise.race([admitted, done]);
    } catch (error) {
      turns.release(sessionId);
      throw error;
    }
    if (early?.refusal) {
      turns.release(sessionId);
      throw early.refusal;
    }

    if (conversation.title === defaultTitle) {
      // An untitled session is named after its first question, for the session list.
      const title = body.text.replace(/\s+/g, ' ').slice(0, 60);
      await conversations.rename(sessionId, account.id, title).catch(() => {});
    }

    return streamSSE(c, async (stream) => {
      metrics.streamOpened();
      let writing = Promise.resolve();
      const emit = (event: ChatEvent) => {
        const { type, ...data } = event;
        if (type === 'error') metrics.error(event.code);
        writing = writing.then(() =>
          stream.aborted ? undefined : stream.writeSSE({ event: type, data: JSON.stringify(data) }),
        );
      };
      for (const event of pending.splice(0)) emit(event);
      forward = emit;
      stream.onAbort(() => controller.abort(abortReasons.clientClosed));
      try {
        const result = await done;
        metrics.usage(result.usage);
        runtime.logger.info(
          {
            sessionId,
            user: account.id,
            outcome: result.outcome,
            costUsd: result.usage.costUsd,
            calls: result.usage.calls,
          },
          'chat turn finished',
        );
      } catch (error) {
        runtime.logger.error({ err: error, sessionId }, 'chat turn failed');
        emit({ type: 'error', code: 'internal_error', message: 'The answer failed unexpectedly.' });
      } finally {
        turns.release(sessionId);
        await writing.catch(() => {});
        metrics.streamClosed();
      }
    });
  });

  app.post('/api/sessions/:id/stop', async (c) => {
    const account = await authenticate(c, accounts);
    const sessionId = c.req.param('id');
    await conversations.get(sessionId, account.id);
    const stopped = await turns.stop(sessionId, abortReasons.stopped);
    return c.json({ stopped });
  });
}
