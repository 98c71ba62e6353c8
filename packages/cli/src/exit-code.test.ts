import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { KeelError, keelErrorCodes } from '@keel/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor, exitCodes } from './exit-code.ts';

const keelBin = fileURLToPath(new URL('../bin/keel.js', import.meta.url));

let directory: string;
let knowledgeDb: string;
let emulator: EmulatorHandle;

/** Runs the real `keel` binary; resolves with its exit code and what it wrote to stderr. */
function keel(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  const { ANTHROPIC_API_KEY: _key, ANTHROPIC_BASE_URL: _url, ...inherited } = process.env;
  const child = spawn(process.execPath, [keelBin, ...argv], {
    env: { ...inherited, KEEL_DATA_DIR: directory, KEEL_DATABASE_URL: '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'keel-cli-exit-'));
  knowledgeDb = join(directory, 'kb.sqlite');
  mkdirSync(join(directory, 'docs'));
  writeFileSync(
    join(directory, 'docs', 'billing.md'),
    '# Billing\n\nRefunds are processed within fourteen business days.\n',
  );
  const ingested = await keel(['ingest', join(directory, 'docs'), '--db', knowledgeDb]);
  expect(ingested.code, ingested.stderr).toBe(0);
  emulator = await startEmulator();
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe('keel exit codes', { timeout: 60_000 }, () => {
  it('exits 2 for a usage error in every command, including an unknown option of keel ask', async () => {
    // `keel ask --bogus` exited 1: parseArgs' own error fell into the catch-all.
    const unknownOption = await keel(['ask', 'How do refunds work?', '--bogus']);
    expect(unknownOption.code, unknownOption.stderr).toBe(exitCodes.usage);
    expect(unknownOption.stderr).toContain('Run `keel ask --help`');
    const [ingest, usage, serve, unknownCommand] = await Promise.all([
      keel(['ingest', '--bogus']),
      keel(['usage', '--bogus']),
      keel(['serve', '--port', 'x']),
      keel(['bogus']),
    ]);
    for (const result of [ingest, usage, serve, unknownCommand]) {
      expect(result.code, result.stderr).toBe(exitCodes.usage);
    }
  });

  it('exits by error code when Claude fails: 4 when it refuses the request, 5 when unavailable', async () => {
    const claude = { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: emulator.url };
    emulator.state.faults.setRules([{ type: 'invalid_request', count: 100 }]);
    const refused = await keel(['ask', 'How do refunds work?', '--db', knowledgeDb], claude);
    expect(refused.code, refused.stderr).toBe(exitCodes.claudeRefused);
    expect(refused.stderr).toContain('(claude_client_error)');

    emulator.state.faults.setRules([{ type: 'overloaded', count: 100 }]);
    const overloaded = await keel(['ask', 'How do refunds work?', '--db', knowledgeDb], claude);
    expect(overloaded.code, overloaded.stderr).toBe(exitCodes.unavailable);
    expect(overloaded.stderr).toContain('(retry_exhausted)');
    emulator.state.faults.setRules([]);
  });

  it('has an exit code for every error code, and 1 for anything that is not a KeelError', () => {
    for (const code of keelErrorCodes) {
      const exit = exitCodeFor(new KeelError(code, 'x', {}));
      expect(Object.values(exitCodes), code).toContain(exit);
    }
    expect(exitCodeFor(new KeelError('claude_overloaded', 'x', {}))).toBe(exitCodes.unavailable);
    expect(exitCodeFor(new KeelError('budget_exceeded', 'x', {}))).toBe(exitCodes.limitReached);
    expect(exitCodeFor(new Error('boom'))).toBe(exitCodes.failure);
  });
});
