import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { AssistantClient } from '../client/assistant-client.ts';
import { spawnServer, type ServerProcess } from '../test-support/spawn-server.ts';
import { longStory } from '../test-support/test-assistant.ts';

const scratch = mkdtempSync(join(tmpdir(), 'keel-crash-'));
const scenarios = join(scratch, 'scenarios.yaml');
writeFileSync(scenarios, stringify([longStory]));
const running: ServerProcess[] = [];

afterAll(async () => {
  for (const server of running) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }
  rmSync(scratch, { recursive: true, force: true });
});

const serve = async () => {
  const server = await spawnServer([
    '--data-dir',
    join(scratch, 'data'),
    '--emulator-latency',
    'fast',
    '--emulator-scenarios',
    scenarios,
  ]);
  running.push(server);
  return server;
};

describe('crash recovery', () => {
  it(
    'keeps the history and marks the answer cut by SIGKILL incomplete after a restart',
    { timeout: 90_000 },
    async () => {
      const first = await serve();
      const client = new AssistantClient({ baseUrl: first.url });
      await client.login('alice@example.com', 'alice-demo');
      const session = await client.createSession('Before the crash');
      for await (const event of client.send(session.id, { text: 'Hello, who are you?' })) {
        if (event.type === 'error') throw new Error(event.message);
      }

      let sawText = false;
      let streamError: unknown;
      try {
        for await (const event of client.send(session.id, {
          text: 'Tell me a long story about tea',
        })) {
          if (event.type === 'text-delta' && !sawText) {
            sawText = true;
            first.child.kill('SIGKILL');
          }
        }
      } catch (error) {
        streamError = error; // the connection died with the process
      }
      expect(sawText).toBe(true);
      expect(await first.exited).toBe('SIGKILL');
      expect(streamError ?? 'ended').toBeDefined();

      const second = await serve();
      // Logs go to stderr asynchronously; the start-up report arrives shortly after the URL.
      await expect
        .poll(() => second.stderr(), { timeout: 10_000 })
        .toMatch(/"interruptedAtStart":1/);
      // The session cookie is stored (hashed) in the database, so it survives the restart.
      const after = new AssistantClient({ baseUrl: second.url, token: client.token! });
      const resumed = await after.getSession(session.id);
      expect(resumed.session.title).toBe('Before the crash');
      expect(resumed.messages.map((message) => [message.role, message.status])).toEqual([
        ['user', 'complete'],
        ['assistant', 'complete'],
        ['user', 'complete'],
        ['assistant', 'incomplete'],
      ]);
      expect(JSON.stringify(resumed.messages[0]!.content)).toContain('Hello, who are you?');
      expect(JSON.stringify(resumed.messages[2]!.content)).toContain('long story');

      // The conversation goes on; the cut answer is not sent back as if it were finished.
      const events = [];
      for await (const event of after.send(session.id, { text: 'What is your return window?' }))
        events.push(event.type);
      expect(events.at(-1)).toBe('done');

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    },
  );
});
