import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../chat/chat-events.ts';
import { AssistantClient } from '../client/assistant-client.ts';
import { longStory } from '../test-support/test-assistant.ts';
import { openAssistantRuntime } from './assistant-runtime.ts';
import { startAssistantServer } from './start-assistant-server.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'keel-shutdown-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('graceful shutdown', () => {
  it('ends an open stream with a server_shutdown error, stores the turn incomplete, and refuses new work', async () => {
    const server = await startAssistantServer({
      port: 0,
      dataDir,
      env: {},
      logger: false,
      emulator: {
        scenarios: [longStory],
        latency: { timeToFirstTokenMs: 0, outputTokensPerSecond: 400 },
      },
    });
    const client = new AssistantClient({ baseUrl: server.url });
    await client.login('alice@example.com', 'alice-demo');
    const session = await client.createSession('Shutdown');
    const events: ChatEvent[] = [];
    let closing: Promise<void> | undefined;
    for await (const event of client.send(session.id, { text: 'Tell me a long story' })) {
      events.push(event);
      if (event.type === 'text-delta' && !closing) {
        closing = server.close();
        // While draining, readiness fails and no new answer starts.
        expect((await server.app.request('/readyz')).status).toBe(503);
        const refused = await server.app.request(`/api/sessions/${session.id}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ text: 'one more?' }),
        });
        expect(refused.status).toBe(503);
        expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
          'server_shutdown',
        );
      }
    }
    await closing;
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'server_shutdown' });
    expect(events.find((event) => event.type === 'usage')).toMatchObject({ partial: true });

    const reopened = await openAssistantRuntime({ dataDir, env: {}, logger: false });
    try {
      expect(reopened.interruptedAtStart).toBe(0);
      const stored = await reopened.conversations.messages(session.id, 'cust_alice');
      expect(stored.map((message) => [message.message.role, message.status])).toEqual([
        ['user', 'complete'],
        ['assistant', 'incomplete'],
      ]);
    } finally {
      await reopened.close();
    }
  });
});
