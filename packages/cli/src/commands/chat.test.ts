import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmulatorAdmin, outcomeScenarios } from '@keel/emulator';
import { startAssistantServer, type AssistantServer } from '@keel/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const keelBin = fileURLToPath(new URL('../../bin/keel.js', import.meta.url));

// Cut by the demo's 1,024-token max_tokens, a tool loop only the step cap ends, a refusal.
const { endless, toolLoop, refusal } = outcomeScenarios({
  tool: { name: 'get_order_status', input: { order_id: 'ORD-10000001' } },
});

let dataDir: string;
let server: AssistantServer;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keel-cli-chat-'));
  server = await startAssistantServer({
    port: 0,
    dataDir,
    env: {},
    logger: false,
    emulator: {
      scenarios: [endless, toolLoop, refusal],
      latency: { timeToFirstTokenMs: 0, outputTokensPerSecond: 100_000 },
    },
  });
});

afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// eslint-disable-next-line no-control-regex -- strips ANSI colour codes, which start with ESC
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/**
 * Runs the real `keel chat` binary against the server: once it names its session, sends
 * `lines(sessionId)` on stdin and closes it; resolves with everything it printed.
 */
function chat(
  lines: (sessionId: string) => string[],
): Promise<{ code: number | null; out: string }> {
  const { ANTHROPIC_API_KEY: _key, KEEL_TOKEN: _token, ...env } = process.env;
  const child = spawn(process.execPath, [keelBin, 'chat', '--url', server.url], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let sent = false;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    const session = /Session (\S+)\. Type/.exec(out);
    if (session && !sent) {
      sent = true;
      child.stdin.end(`${lines(session[1]!).join('\n')}\n`);
    }
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out: plain(out) })));
}

const labels = /^\[(Answer cut off|Stopped a|Request declined)/gm;

describe('keel chat', { timeout: 60_000 }, () => {
  it('labels a cut-off answer, a tool-step stop and a refusal, live and on /resume', async () => {
    const { code, out } = await chat((sessionId) => [
      'Tell me everything about tea',
      'Please keep checking ORD-10000001',
      'How do I pick a lock?',
      'Hello',
      `/resume ${sessionId}`,
      '/quit',
    ]);
    expect(code, out).toBe(0);
    expect(out).toContain('Resumed session');
    // /resume prints the stored history (the person's lines with "> ") before "Resumed session".
    const historyStart = out.lastIndexOf('> Tell me everything about tea');
    expect(historyStart).toBeGreaterThan(0);
    const live = out.slice(0, historyStart);
    const history = out.slice(historyStart, out.indexOf('Resumed session'));

    expect(live).toContain(
      '[Answer cut off] The answer reached the length limit and was cut off. Ask the assistant to continue',
    );
    expect(live).toContain(
      '[Stopped after 6 tool steps] The assistant reached its limit of 6 tool steps before it finished. Ask it to continue, or narrow the question.',
    );
    expect(live).toContain(
      '[Request declined] The model declined to answer this request, so it is left out of the conversation. Rephrase it',
    );
    // Three labels, not four: the plain "Hello" answer finished and carries none.
    expect(live.match(labels)).toHaveLength(3);

    expect(history).toContain('[Answer cut off]');
    expect(history).toContain('[Stopped at the tool-step limit]');
    expect(history).toContain('[Request declined]');
    expect(history.match(labels)).toHaveLength(3);
    // The declined question is kept out of the conversation from then on, and says so.
    expect(history).toContain(
      '> How do I pick a lock? (not answered: left out of the conversation)',
    );
  });

  it('shows a turn the model service refused as not answered on /resume, not as an answer', async () => {
    const admin = new EmulatorAdmin({ baseUrl: server.runtime.emulator!.url });
    await admin.setFaults([{ type: 'invalid_request', count: 1 }]);
    try {
      const { code, out } = await chat((sessionId) => [
        'Look at this',
        'Hello again',
        `/resume ${sessionId}`,
        '/quit',
      ]);
      expect(code, out).toBe(0);
      const history = out.slice(out.lastIndexOf('> Look at this'), out.indexOf('Resumed session'));
      expect(history).toMatch(/^> Look at this \(not answered: left out of the conversation\)$/m);
      expect(history).toMatch(/^ {2}\[Not answered\] \S.*$/m);
      expect(history).toMatch(/^> Hello again$/m);
    } finally {
      await admin.setFaults([]);
    }
  });
});
