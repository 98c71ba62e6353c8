import type { Hono } from 'hono';
import type { Conversation, StoredMessage } from '@keel/core';
import type { AssistantRuntime } from '../app/assistant-runtime.ts';
import { describeOutcome, parseTurnOutcome } from '../chat/turn-outcome.ts';
import { createSessionBody, renameSessionBody } from './api-schemas.ts';
import { authenticate } from './authenticate.ts';
import { readBody } from './read-body.ts';

/** The public view of a session. */
function sessionView(conversation: Conversation) {
  return {
    id: conversation.id,
    title: conversation.title,
    createdAtMs: conversation.createdAtMs,
    updatedAtMs: conversation.updatedAtMs,
  };
}

/** A stored message for the UI; image bytes are left out (they can be megabytes). */
function messageView(message: StoredMessage) {
  const content =
    typeof message.message.content === 'string'
      ? [{ type: 'text', text: message.message.content }]
      : message.message.content.map((block) =>
          block.type === 'image'
            ? {
                type: 'image',
                mediaType: block.source.type === 'base64' ? block.source.media_type : 'url',
              }
            : block,
        );
  // A cut-off answer keeps its notice after a reload (the live `done` event sent the same words).
  const outcome = parseTurnOutcome(message.outcome);
  const notice = outcome ? describeOutcome(outcome) : undefined;
  return {
    seq: message.seq,
    role: message.message.role,
    status: message.status,
    createdAtMs: message.createdAtMs,
    content,
    ...(outcome && notice ? { outcome, notice } : {}),
  };
}

/** Sessions (conversations): create, list, get with messages, rename, delete — owner only. */
export function sessionRoutes(app: Hono, runtime: AssistantRuntime): void {
  const { accounts, conversations } = runtime;

  app.get('/api/sessions', async (c) => {
    const account = await authenticate(c, accounts);
    const list = await conversations.list(account.id);
    return c.json({ sessions: list.map(sessionView) });
  });

  app.post('/api/sessions', async (c) => {
    const account = await authenticate(c, accounts);
    const body = await readBody(c, createSessionBody, 'new session');
    const conversation = await conversations.create({
      ownerId: account.id,
      ...(body.title ? { title: body.title } : {}),
    });
    return c.json({ session: sessionView(conversation) }, 201);
  });

  app.get('/api/sessions/:id', async (c) => {
    const account = await authenticate(c, accounts);
    const id = c.req.param('id');
    const conversation = await conversations.get(id, account.id);
    const messages = await conversations.messages(id, account.id);
    return c.json({
      session: sessionView(conversation),
      messages: messages.map(messageView),
      streaming: runtime.turns.has(id),
    });
  });

  app.patch('/api/sessions/:id', async (c) => {
    const account = await authenticate(c, accounts);
    const body = await readBody(c, renameSessionBody, 'rename');
    const conversation = await conversations.rename(c.req.param('id'), account.id, body.title);
    return c.json({ session: sessionView(conversation) });
  });

  app.delete('/api/sessions/:id', async (c) => {
    const account = await authenticate(c, accounts);
    const id = c.req.param('id');
    await conversations.get(id, account.id);
    await runtime.turns.stop(id, 'stopped');
    await conversations.delete(id, account.id);
    return c.json({ deleted: true });
  });
}
