import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssistantClient, createAssistantApp, openAssistantRuntime } from '@keel/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Command } from '../command.ts';
import { main } from '../main.ts';
import { chatCommand } from './chat.ts';
import { serveCommand } from './serve.ts';
import { usageCommand } from './usage.ts';

let directory: string;

/** Runs a command in-process and captures what it printed. */
async function run(command: Command, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi
    .spyOn(console, 'log')
    .mockImplementation((...parts) => void out.push(`${parts.join(' ')}\n`));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...parts) => void err.push(`${parts.join(' ')}\n`));
  try {
    const code = await command.run(argv);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'keel-cli-assistant-'));
  // Two answers recorded in the ledger of a real assistant database.
  const runtime = await openAssistantRuntime({ dataDir: directory, env: {}, logger: false });
  const app = createAssistantApp({ runtime });
  const client = new AssistantClient({
    baseUrl: 'http://in-process',
    fetch: ((input: string | URL | Request, init?: RequestInit) =>
      app.request(input instanceof Request ? input : String(input), init)) as typeof fetch,
  });
  await client.login('bob@example.com', 'bob-demo');
  const session = await client.createSession();
  for await (const _event of client.send(session.id, { text: 'Hello' })) {
    // drained
  }
  await runtime.close();
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('keel serve, chat and usage', () => {
  it('each has --help, and `keel start` is `keel serve`', async () => {
    for (const command of [serveCommand, chatCommand, usageCommand]) {
      expect(command.help).toMatch(new RegExp(`^Usage: keel ${command.name}`));
    }
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await main(['start', '--help'])).toBe(0);
      expect(log.mock.calls[0]![0]).toBe(serveCommand.help);
    } finally {
      log.mockRestore();
    }
  });

  it('refuses bad flags with exit code 2', async () => {
    expect((await run(serveCommand, ['--port', 'abc'])).code).toBe(2);
    expect((await run(serveCommand, ['--emulator-latency', 'slow'])).code).toBe(2);
    expect((await run(usageCommand, ['--by', 'planet'])).code).toBe(2);
    expect((await run(usageCommand, ['--days', '-3'])).code).toBe(2);
    expect((await run(chatCommand, ['--nope'])).stderr).toContain('unknown option --nope');
  });

  it('prints the top spenders from the ledger by user, feature, model and day', async () => {
    const database = join(directory, 'keel.db');
    const byUser = await run(usageCommand, ['--database', database, '--by', 'user']);
    expect(byUser.code).toBe(0);
    expect(byUser.stdout).toMatch(
      /^user\s+calls\s+input tokens\s+output tokens\s+cache hit\s+cost$/m,
    );
    expect(byUser.stdout).toMatch(/^cust_bob\s+1\s+\d+\s+\d+\s+\d+\.\d%\s+\$0\.\d+$/m);
    const all = await run(usageCommand, ['--database', database]);
    expect(all.stdout).toMatch(/^support-chat\s+1 /m);
    expect(all.stdout).toMatch(/^claude-sonnet-5-5\s+1 /m);
    expect(all.stdout).toMatch(/^\d{4}-\d{2}-\d{2}\s+1 /m);
    expect(all.stdout).toMatch(/Total over 30 days: 1 calls, \$0\.\d+/);
  });
});
