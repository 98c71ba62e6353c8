import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestStorageEngine,
  postgresTestUrl,
  type TestStorageEngine,
} from '../storage/test-engines.ts';
import { ConversationNotFoundError, ConversationStore } from './conversation-store.ts';

const engines = ['sqlite', ...(postgresTestUrl ? ['postgres' as const] : [])] as const;

describe.each(engines)('conversation store on %s', (dialect) => {
  let engine: TestStorageEngine;
  let store: ConversationStore;
  let clock = 1_000;

  beforeAll(async () => {
    engine = await createTestStorageEngine(dialect);
    store = new ConversationStore({ storage: await engine.open(), now: () => clock++ });
  });
  afterAll(() => engine.cleanup());

  it('keeps the full history in order', async () => {
    const conversation = await store.create({ ownerId: 'alice', title: 'Refund' });
    await store.append(conversation.id, 'alice', { role: 'user', content: 'Where is my order?' });
    await store.append(conversation.id, 'alice', {
      role: 'assistant',
      content: [
        { type: 'tool_use', id: 't1', name: 'get_order_status', input: { order_id: 'A-1' } },
      ],
    });
    const messages = await store.messages(conversation.id, 'alice');
    expect(messages.map((m) => m.seq)).toEqual([0, 1]);
    expect(messages[1]!.message.content).toEqual([
      { type: 'tool_use', id: 't1', name: 'get_order_status', input: { order_id: 'A-1' } },
    ]);
  });

  it('never lets one owner reach another owner’s conversation', async () => {
    const mine = await store.create({ ownerId: 'alice' });
    await expect(store.get(mine.id, 'mallory')).rejects.toBeInstanceOf(ConversationNotFoundError);
    await expect(store.messages(mine.id, 'mallory')).rejects.toBeInstanceOf(
      ConversationNotFoundError,
    );
    await expect(
      store.append(mine.id, 'mallory', { role: 'user', content: 'hi' }),
    ).rejects.toBeInstanceOf(ConversationNotFoundError);
    await expect(store.rename(mine.id, 'mallory', 'x')).rejects.toBeInstanceOf(
      ConversationNotFoundError,
    );
    await expect(store.delete(mine.id, 'mallory')).rejects.toBeInstanceOf(
      ConversationNotFoundError,
    );
    expect((await store.list('mallory')).map((c) => c.id)).not.toContain(mine.id);
  });

  it('lists, renames and deletes', async () => {
    const conversation = await store.create({ ownerId: 'bob' });
    await store.rename(conversation.id, 'bob', 'Warranty question');
    expect((await store.list('bob'))[0]).toMatchObject({
      id: conversation.id,
      title: 'Warranty question',
    });
    await store.delete(conversation.id, 'bob');
    expect(await store.list('bob')).toEqual([]);
  });

  it('marks answers interrupted by a crash as incomplete', async () => {
    const conversation = await store.create({ ownerId: 'carol' });
    await store.append(conversation.id, 'carol', { role: 'user', content: 'Tell me a story' });
    const seq = await store.append(
      conversation.id,
      'carol',
      { role: 'assistant', content: 'Once upon' },
      'streaming',
    );
    expect(await store.markInterrupted()).toBeGreaterThanOrEqual(1);
    const messages = await store.messages(conversation.id, 'carol');
    expect(messages[seq]!.status).toBe('incomplete');
  });

  it('marks a refused turn failed, content kept, and only for its owner', async () => {
    const conversation = await store.create({ ownerId: 'erin' });
    const user = await store.append(conversation.id, 'erin', { role: 'user', content: 'Look' });
    const answer = await store.append(
      conversation.id,
      'erin',
      { role: 'assistant', content: [] },
      'streaming',
    );
    await expect(
      store.setStatus(conversation.id, 'mallory', [user, answer], 'failed'),
    ).rejects.toBeInstanceOf(ConversationNotFoundError);
    await store.setStatus(conversation.id, 'erin', [user, answer], 'failed');
    const messages = await store.messages(conversation.id, 'erin');
    expect(messages.map((m) => [m.status, m.message.content])).toEqual([
      ['failed', 'Look'],
      ['failed', []],
    ]);
    // A failed turn is finished: a crash recovery never turns it back into `incomplete`.
    await store.markInterrupted();
    expect((await store.messages(conversation.id, 'erin'))[1]!.status).toBe('failed');
  });

  it('saves context state between turns', async () => {
    const conversation = await store.create({ ownerId: 'dave' });
    await store.saveContext(conversation.id, 'dave', {
      trimStart: 12,
      summary: 'The customer wants a refund.',
      memory: {
        facts: ['order A-1 arrived damaged'],
        decisions: [],
        preferences: ['email over phone'],
      },
    });
    expect((await store.get(conversation.id, 'dave')).context).toEqual({
      trimStart: 12,
      summary: 'The customer wants a refund.',
      memory: {
        facts: ['order A-1 arrived damaged'],
        decisions: [],
        preferences: ['email over phone'],
      },
    });
  });

  it('keeps the cached layers of the last request with the context, and clears them', async () => {
    const conversation = await store.create({ ownerId: 'gus' });
    expect(conversation.context.lastRequestLayers).toBeUndefined();
    const lastRequestLayers = { tools: 'a1', system: 'b2', pinned: 'c3' };
    const context = { trimStart: 2, summary: null, memory: conversation.context.memory };
    await store.saveContext(conversation.id, 'gus', { ...context, lastRequestLayers });
    expect((await store.get(conversation.id, 'gus')).context).toEqual({
      ...context,
      lastRequestLayers,
    });
    await store.saveContext(conversation.id, 'gus', context);
    expect((await store.get(conversation.id, 'gus')).context).toEqual(context);
  });

  it('keeps the outcome of a cut-off answer, for its owner only', async () => {
    const conversation = await store.create({ ownerId: 'fay' });
    await store.append(conversation.id, 'fay', { role: 'user', content: 'Tell me everything' });
    const seq = await store.append(conversation.id, 'fay', {
      role: 'assistant',
      content: [{ type: 'text', text: 'Once upon a' }],
    });
    await expect(
      store.setOutcome(conversation.id, 'mallory', seq, 'truncated'),
    ).rejects.toBeInstanceOf(ConversationNotFoundError);
    await store.setOutcome(conversation.id, 'fay', seq, 'truncated');
    const [question, answer] = await store.messages(conversation.id, 'fay');
    expect(question!.outcome).toBeUndefined();
    expect(answer).toMatchObject({ status: 'complete', outcome: 'truncated' });
  });
});
