import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../storage/open-storage.ts';
import type { Storage } from '../storage/storage.ts';
import { sdkCaller } from '../client/sdk-caller.ts';
import { ContextManager } from './context-manager.ts';
import { historyProblems } from '../call/conversation-shape.ts';
import { ConversationStore } from './conversation-store.ts';
import type { MessagesCaller } from '../call/messages-caller.ts';

let emulator: EmulatorHandle;
let client: Anthropic;
let storage: Storage;
let store: ConversationStore;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new Anthropic({ apiKey: 'context-test', baseURL: emulator.url, maxRetries: 0 });
  dir = mkdtempSync(join(tmpdir(), 'keel-context-'));
  storage = await openStorage({ url: `sqlite:${join(dir, 'keel.db')}` });
  store = new ConversationStore({ storage });
});
afterAll(async () => {
  await emulator.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const filler = (turn: number) =>
  `Turn ${turn}: ${'the package was delayed at the depot and the courier rescheduled the delivery window '.repeat(12)}`;

async function converse(
  manager: ContextManager,
  ownerId: string,
  turns: number,
  plant?: { at: number; text: string },
) {
  const conversation = await store.create({ ownerId });
  const prepared = [];
  for (let turn = 0; turn < turns; turn++) {
    const text = plant?.at === turn ? plant.text : filler(turn);
    const turnResult = await manager.prepareTurn({
      conversationId: conversation.id,
      ownerId,
      userMessage: { role: 'user', content: text },
      model: 'claude-haiku-4-5',
      maxTokens: 512,
      system: 'You are the Acme Store support assistant.',
    });
    expect(historyProblems(turnResult.request.messages)).toEqual([]);
    const reply = await client.messages.create({ ...turnResult.request, stream: false });
    await store.append(conversation.id, ownerId, {
      role: 'assistant',
      content: reply.content.filter((b) => b.type === 'text'),
    });
    prepared.push(turnResult);
  }
  return { conversation, prepared };
}

describe('context manager', () => {
  it('trims a long conversation in steps, every request accepted by the emulator', async () => {
    // A 2% share of Haiku's 200K window: about 4,000 tokens, so trimming starts within a few turns.
    const manager = new ContextManager({ store, windowShare: 0.02 });
    const { conversation, prepared } = await converse(manager, 'alice', 24);
    const starts = prepared.map((turn) => turn.trimmedMessages);
    expect(Math.max(...starts)).toBeGreaterThan(0);
    const moves = starts.filter((start, index) => index > 0 && start !== starts[index - 1]).length;
    expect(moves).toBeLessThan(starts.filter((start) => start > 0).length);
    expect((await store.get(conversation.id, 'alice')).context.trimStart).toBe(starts.at(-1));
  });

  it('recalls a trimmed detail when the user asks about it', async () => {
    const manager = new ContextManager({ store, windowShare: 0.02 });
    const conversation = await store.create({ ownerId: 'bob' });
    const ask = async (text: string) => {
      const turn = await manager.prepareTurn({
        conversationId: conversation.id,
        ownerId: 'bob',
        userMessage: { role: 'user', content: text },
        model: 'claude-haiku-4-5',
        maxTokens: 512,
      });
      const reply = await client.messages.create({ ...turn.request, stream: false });
      await store.append(conversation.id, 'bob', {
        role: 'assistant',
        content: reply.content.filter((b) => b.type === 'text'),
      });
      return turn;
    };
    await ask('My customer number is K77QX9Z, please note it.');
    for (let turn = 1; turn < 20; turn++) await ask(filler(turn));
    const turn = await ask('What was the customer number I gave you at the start?');
    expect(turn.trimmedMessages).toBeGreaterThan(0);
    expect(JSON.stringify(turn.request.messages)).toContain('K77QX9Z');
    expect(turn.recalled.length).toBeGreaterThan(0);
  });

  it('folds trimmed turns into a pinned summary with the cheap model', async () => {
    const manager = new ContextManager({
      store,
      windowShare: 0.02,
      summarize: { caller: sdkCaller(client) },
    });
    const { conversation, prepared } = await converse(manager, 'carol', 16);
    const summarized = prepared.find((turn) =>
      JSON.stringify(turn.request.messages).includes('<conversation_memory>'),
    );
    expect(summarized).toBeDefined();
    expect((await store.get(conversation.id, 'carol')).context.summary).toBeTruthy();
  });

  it('never sends an answer that was interrupted', async () => {
    const manager = new ContextManager({ store });
    const conversation = await store.create({ ownerId: 'dave' });
    await store.append(conversation.id, 'dave', { role: 'user', content: 'Tell me a long story' });
    await store.append(
      conversation.id,
      'dave',
      { role: 'assistant', content: 'Once upon a ti' },
      'streaming',
    );
    await store.markInterrupted();
    const turn = await manager.prepareTurn({
      conversationId: conversation.id,
      ownerId: 'dave',
      userMessage: { role: 'user', content: 'Never mind, where is my order?' },
      model: 'claude-haiku-4-5',
      maxTokens: 256,
    });
    expect(JSON.stringify(turn.request.messages)).not.toContain('Once upon a ti');
    expect(turn.request.messages).toHaveLength(1);
    await expect(client.messages.create({ ...turn.request, stream: false })).resolves.toBeDefined();
  });

  it('keeps nothing in memory: a new manager on the same storage knows the cached prefix', async () => {
    // Long enough to be cached on Haiku 4.5 (at least 4,096 tokens).
    const system = 'You are the Acme Store support assistant. Be brief and exact. '.repeat(500);
    const conversation = await store.create({ ownerId: 'erin' });
    // Each turn is prepared by a new manager over a new store, as by another process.
    const turn = async (text: string, turnSystem = system) => {
      const manager = new ContextManager({ store: new ConversationStore({ storage }) });
      const prepared = await manager.prepareTurn({
        conversationId: conversation.id,
        ownerId: 'erin',
        userMessage: { role: 'user', content: text },
        model: 'claude-haiku-4-5',
        maxTokens: 256,
        system: turnSystem,
      });
      const reply = await client.messages.create({ ...prepared.request, stream: false });
      await store.append(conversation.id, 'erin', {
        role: 'assistant',
        content: reply.content.filter((b) => b.type === 'text'),
      });
      return { prepared, reply };
    };
    const first = await turn('Where is my order A-1?');
    expect(first.prepared.expectedCachedTokens).toBe(0);
    const second = await turn('And when will it arrive?');
    expect(second.prepared.cacheBreak).toBeUndefined();
    expect(second.prepared.expectedCachedTokens).toBeGreaterThan(4_096);
    expect(second.reply.usage.cache_read_input_tokens).toBeGreaterThan(0);
    const third = await turn('Thanks!', `${system} Today is Tuesday.`);
    expect(third.prepared.cacheBreak).toMatchObject({ layer: 'system' });
    expect(third.prepared.expectedCachedTokens).toBe(0);
    expect((await store.get(conversation.id, 'erin')).context.lastRequestLayers?.system).toBe(
      third.prepared.cacheBreak?.currentHash,
    );
  });

  it('logs a failed memory extraction with its conversation and still prepares the turn', async () => {
    const lines: Array<{ fields: Record<string, unknown>; message?: string }> = [];
    const keep = (fields: Record<string, unknown>, message?: string) => {
      lines.push({ fields, ...(message === undefined ? {} : { message }) });
    };
    const failing: MessagesCaller = {
      create: () => Promise.reject(new Error('overloaded')),
      stream: () => {
        throw new Error('not used');
      },
    };
    const manager = new ContextManager({
      store,
      windowShare: 0.02,
      memory: { caller: failing },
      logger: { debug: keep, info: keep, warn: keep, error: keep },
    });
    const { conversation, prepared } = await converse(manager, 'fred', 16);
    expect(Math.max(...prepared.map((turn) => turn.trimmedMessages))).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]!.fields).toMatchObject({
      conversationId: conversation.id,
      event: 'context_memory_kept',
      model: 'claude-haiku-5-5',
    });
    expect((await store.get(conversation.id, 'fred')).context.memory.facts).toEqual([]);
  });
});
