import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LedgerStore, openStorage } from '@keel/core';
import { askCommand } from './ask.ts';
import { ingestCommand } from './ingest.ts';

let directory: string;
let db: string;

/** Runs a command in-process and captures what it printed. */
async function run(command: typeof ingestCommand, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi
    .spyOn(console, 'log')
    .mockImplementation((...parts) => void out.push(`${parts.join(' ')}\n`));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...parts) => void err.push(`${parts.join(' ')}\n`));
  const stdout = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const stderr = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => err.push(String(chunk)) > 0);
  try {
    const code = await command.run(argv);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'keel-cli-kb-'));
  db = join(directory, 'kb.sqlite');
  mkdirSync(join(directory, 'docs'));
  writeFileSync(
    join(directory, 'docs', 'billing.md'),
    '# Billing\n\nRefunds are processed within fourteen business days.\n',
  );
  writeFileSync(join(directory, 'docs', 'blob.txt'), new Uint8Array([0, 1, 2, 3]));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

describe('keel ingest', () => {
  it('shows progress per file and a summary, and exits 1 when a file failed', async () => {
    const first = await run(ingestCommand, [join(directory, 'docs'), '--db', db]);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/\[1\/2\] added .*billing\.md \(1 chunks\)/);
    expect(first.stderr).toMatch(
      /\[2\/2\] failed .*blob\.txt: .*binary.*\(knowledge_binary_file\)/,
    );
    expect(first.stdout).toContain(
      '1 added, 0 updated, 0 unchanged, 0 removed, 1 failed; 1 chunks written.',
    );

    rmSync(join(directory, 'docs', 'blob.txt'));
    const second = await run(ingestCommand, [join(directory, 'docs'), '--db', db]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(
      '0 added, 0 updated, 1 unchanged, 0 removed, 0 failed; 0 chunks written.',
    );
  });

  it('rejects a call without paths', async () => {
    expect((await run(ingestCommand, ['--db', db])).code).toBe(2);
  });
});

describe('keel ask', () => {
  it('says so when the knowledge base is empty', async () => {
    const result = await run(askCommand, ['anything?', '--db', join(directory, 'empty.sqlite')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the knowledge base is empty');
  });

  it('answers through the embedded emulator without an API key and says so', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    const ledgerPath = join(directory, 'ledger.db');
    vi.stubEnv('KEEL_DATABASE_URL', ledgerPath);
    await run(ingestCommand, [join(directory, 'docs'), '--db', db]);
    const result = await run(askCommand, ['How long do refunds take?', '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('EMULATED');
    expect(result.stdout).toContain('Refunds are processed within fourteen business days.');
    // Citations came through Keel's stream: the source is listed with the cited span.
    expect(result.stdout).toMatch(/Sources:\n\s+\[1\] .*billing\.md/);
    expect(result.stdout).toContain('"Refunds are processed within fourteen business days."');
    // The call went through Keel's client: it is in the ledger, priced, for `keel usage`.
    const storage = await openStorage({ url: ledgerPath });
    try {
      const entries = await new LedgerStore({ storage }).list({ feature: 'ask' });
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ modelServed: 'claude-sonnet-5-5', errorCode: null });
      expect(entries[0]!.costPicoUsd).toBeGreaterThan(0n);
      expect(entries[0]!.tokens.output).toBeGreaterThan(0);
    } finally {
      await storage.close();
    }
  });

  it('reports a question the knowledge base cannot answer without calling a model', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', '');
    const result = await run(askCommand, ['What is the boiling point of mercury?', '--db', db]);
    expect(result.stdout).toContain(
      'Nothing in the knowledge base matches this question; the model was not called.',
    );
  });
});
