import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { BudgetReservation } from '@keel/core';
import type { AssistantRuntime } from '../app/assistant-runtime.ts';
import type { ChatEvent } from '../chat/chat-events.ts';
import { abortReasons, runChatTurn } from '../chat/chat-turn.ts';
import { sendMessageBody } from './api-schemas.ts';
import { authenticate } from './authenticate.ts';
import { RequestError } from './http-errors.ts';
import { readBody } from './read-body.ts';

const defaultTitle = 'New conversation';

/** `POST /api/sessions/:id/messages` (the streamed answer) and `POST /api/sessions/:id/stop`. */
export function chatRoutes(app: Hono, runtime: AssistantRuntime): void {
  const { accounts, conversations, services, turns, metrics } = runtime;

  app.post('/api/sessions/:id/messages', async (c) => {
    const account = await authenticate(c, accounts);
    await runtime.rateLimiter.hit(`user:${account.id}`);
    const body = await readBody(c, sendMessageBody, 'message');
    for (const [index, image] of body.images.entries()) {
      const bytes = Math.floor((image.data.length * 3) / 4);
      if (bytes > runtime.config.images.maxBytes) {
        throw new RequestError(
          'payload_too_large',
          `Image ${index + 1} is larger than ${runtime.config.images.maxBytes} bytes`,
          {
            image: index,
            maxBytes: runtime.config.images.maxBytes,
          },
        );
      }
    }
    const sessionId = c.req.param('id');
    const conversation = await conversations.get(sessionId, account.id);
    const controller = turns.claim(sessionId);
    let reservation: BudgetReservation | undefined;
    try {
      // Refuse over-budget turns before the stream opens, so the refusal is a plain 402.
      if (services.budgets) {
        const { inputTokens } = await services.client.countTokens(
          {
            model: services.model,
            max_tokens: services.maxTokens,
            system: services.system,
            messages: [{ role: 'user', content: body.text }],
          },
          { mode: 'local' },
        );
        reservation = await services.budgets.reserve({
          tags: { user: account.id, session: sessionId, feature: services.feature },
          model: services.model,
          estimatedInputTokens: inputTokens,
          maxOutputTokens: services.maxTokens,
        });
      }
    } catch (error) {
      turns.release(sessionId);
      throw error;
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
      stream.onAbort(() => controller.abort(abortReasons.clientClosed));
      const done = runChatTurn({
        services,
        account,
        conversationId: sessionId,
        text: body.text,
        images: body.images,
        signal: controller.signal,
        reservation,
        emit,
      });
      turns.track(sessionId, done);
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
