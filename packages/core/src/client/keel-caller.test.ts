import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAgent } from '../agent/run-agent.ts';
import { streamAgent } from '../agent/stream-agent.ts';
import { LedgerStore } from '../ledger/ledger-store.ts';
import { SqliteStorage } from '../storage/sqlite-storage.ts';
import { generateObject } from '../structured/generate-object.ts';
import { defineTool } from '../tools/define-tool.ts';
import { createKeel } from './create-keel.ts';
import { keelCaller } from './keel-caller.ts';

let emulator: EmulatorHandle;
let directory: string;
let storage: SqliteStorage;

beforeAll(async () => {
  emulator = await startEmulator({
    scenarios: [
      {
        name: 'order',
        match: { userContains: ['order 42'] },
        replies: [
          { content: [{ type: 'tool_use', name: 'lookup_order', input: { orderId: '42' } }] },
          { content: [{ type: 'text', text: 'Order 42 has shipped.' }] },
        ],
      },
      {
        name: 'forced-greeting',
        forcedOnly: true,
        replies: [{ content: [{ type: 'text', text: 'Forced by header.' }] }],
      },
      {
        name: 'order-streamed',
        match: { userContains: ['order 43'] },
        replies: [
          { content: [{ type: 'tool_use', name: 'lookup_order', input: { orderId: '43' } }] },
          { content: [{ type: 'text', text: 'Order 43 has shipped.' }] },
        ],
      },
    ],
  });
  directory = mkdtempSync(join(tmpdir(), 'keel-caller-'));
  storage = new SqliteStorage({ path: join(directory, 'keel.db') });
});

afterAll(async () => {
  await storage?.close();
  await emulator?.close();
  rmSync(directory, { recursive: true, force: true });
});

const lookupOrder = defineTool({
  name: 'lookup_order',
  description: 'Looks an order up by id.',
  input: z.object({ orderId: z.string() }),
  handler: async ({ orderId }) => ({ orderId, status: 'shipped' }),
});

describe('keelCaller', () => {
  it('passes per-call headers through to the API', async () => {
    const keel = createKeel({ apiKey: 'k', baseURL: emulator.url, logger: false });
    const message = await keelCaller(keel).create(
      { model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] },
      { headers: { 'x-keel-scenario': 'forced-greeting' } },
    );
    expect(message.content).toEqual([expect.objectContaining({ text: 'Forced by header.' })]);
    await keel.close();
  });

  it('records every call of an agent run in the ledger with the run tags', async () => {
    const ledger = new LedgerStore({ storage });
    const keel = createKeel({ apiKey: 'k', baseURL: emulator.url, logger: false, ledger });
    const caller = keelCaller(keel, { tags: { feature: 'support' } });
    const result = await runAgent({
      caller,
      model: 'claude-haiku-4-5',
      messages: [{ role: 'user', content: 'Where is order 42?' }],
      tools: [lookupOrder],
      principal: { userId: 'u1', roles: [] },
      tags: { promptId: 'support-agent', promptVersion: 'v1', session: 's-agent' },
    });
    expect(result.text).toContain('shipped');
    await keel.flush();
    const entries = await ledger.list({ session: 's-agent' });
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(entry.tags).toMatchObject({
        feature: 'support',
        promptId: 'support-agent',
        promptVersion: 'v1',
        session: 's-agent',
      });
      expect(entry.priced).toBe(true);
      expect(entry.costPicoUsd! > 0n).toBe(true);
    }
  });

  it('streams as raw wire events and records the streamed call', async () => {
    const ledger = new LedgerStore({ storage });
    const keel = createKeel({ apiKey: 'k', baseURL: emulator.url, logger: false, ledger });
    const stream = streamAgent({
      caller: keelCaller(keel),
      model: 'claude-haiku-4-5',
      messages: [{ role: 'user', content: 'Where is order 43?' }],
      tools: [lookupOrder],
      principal: { userId: 'u1', roles: [] },
      tags: { session: 's-stream' },
    });
    let text = '';
    for await (const event of stream) if (event.type === 'text-delta') text += event.text;
    expect(text).toContain('Order 43 has shipped.');
    await keel.flush();
    const entries = await ledger.list({ session: 's-stream' });
    expect(entries).toHaveLength(2);
  });

  it('stops a stream on abort() and records the call as aborted, with what it had spent', async () => {
    const ledger = new LedgerStore({ storage });
    const keel = createKeel({ apiKey: 'k', baseURL: emulator.url, logger: false, ledger });
    const stream = keelCaller(keel, { tags: { session: 's-abort' } }).stream({
      model: 'claude-haiku-4-5',
      max_tokens: 2000,
      messages: [{ role: 'user', content: 'Tell me a long story about the sea. '.repeat(5) }],
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of stream) {
          seen.push(event.type);
          if (event.type === 'content_block_delta') stream.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: 'call_aborted' });
    expect(seen).toContain('content_block_delta');
    await keel.flush();
    const [entry] = await ledger.list({ session: 's-abort' });
    expect(entry).toMatchObject({ errorCode: 'call_aborted', partial: true });
    expect(entry!.tokens.input).toBeGreaterThan(0);
  });

  it('gives generateObject a ledger entry tagged with the prompt', async () => {
    const ledger = new LedgerStore({ storage });
    const keel = createKeel({ apiKey: 'k', baseURL: emulator.url, logger: false, ledger });
    const result = await generateObject({
      caller: keelCaller(keel),
      model: 'claude-haiku-4-5',
      schema: z.object({ name: z.string(), email: z.string() }),
      messages: [{ role: 'user', content: 'Ada Lovelace, ada@example.com' }],
      tags: { promptId: 'extract', promptVersion: 'abc', session: 's-object' },
    });
    expect(typeof result.object.name).toBe('string');
    await keel.flush();
    const entries = await ledger.list({ session: 's-object' });
    expect(entries.map((entry) => entry.tags.promptId)).toEqual(['extract']);
  });
});
