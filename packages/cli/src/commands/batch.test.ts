import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { LedgerStore, openStorage } from '@keel/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../main.ts';
import { parseBatchInput } from './batch.ts';

let emulator: EmulatorHandle;
let directory: string;
const saved = { ...process.env };

beforeAll(async () => {
  emulator = await startEmulator({ batchProcessingDelayMs: 20 });
  directory = mkdtempSync(join(tmpdir(), 'keel-batch-cli-'));
  process.env.ANTHROPIC_BASE_URL = emulator.url;
  process.env.ANTHROPIC_API_KEY = 'test-key';
});

afterAll(async () => {
  process.env = saved;
  await emulator?.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('keel batch', () => {
  it('writes one result line per input and records the batch in the ledger', async () => {
    const input = join(directory, 'input.jsonl');
    const out = join(directory, 'out.jsonl');
    const database = join(directory, 'keel.db');
    writeFileSync(
      input,
      [
        { custom_id: 'p1', prompt: 'Is this review positive? I love it.' },
        {
          custom_id: 'p2',
          params: { max_tokens: 32, messages: [{ role: 'user', content: 'Say hi' }] },
        },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    );
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    let code: number;
    try {
      code = await main(['batch', input, '--out', out, '--poll-ms', '5', '--database', database]);
    } finally {
      stderr.mockRestore();
      errors.mockRestore();
    }
    expect(code).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.custom_id, line.status])).toEqual([
      ['p1', 'succeeded'],
      ['p2', 'succeeded'],
    ]);
    expect(typeof lines[0].text).toBe('string');
    expect(lines[0].cost_usd).toBeGreaterThan(0);
    const storage = await openStorage({ url: database });
    try {
      const entries = await new LedgerStore({ storage }).list({ feature: 'batch' });
      expect(entries).toHaveLength(2);
      expect(entries.every((entry) => entry.batch)).toBe(true);
    } finally {
      await storage.close();
    }
  });

  it('rejects input lines without params or prompt', () => {
    const read = parseBatchInput('{"custom_id":"x"}', { model: 'm', maxTokens: 1 });
    expect(read).toEqual({ ok: false, message: 'line 1: needs "params" (an object) or "prompt"' });
  });
});
