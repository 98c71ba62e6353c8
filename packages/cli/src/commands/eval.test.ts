import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../main.ts';

let emulator: EmulatorHandle;
let directory: string;
const saved = { ...process.env };

const sentimentPrompt = (instruction: string) => `---
id: sentiment
model: claude-haiku-4-5
max_tokens: 16
user: 'Classify sentiment: {{text}}'
variables:
  text: string
---

${instruction}
`;

const contactPrompt = `---
id: contact
model: claude-haiku-4-5
max_tokens: 256
user: 'Extract contact: {{text}}'
variables:
  text: string
output_schema:
  type: object
  properties:
    name: { type: string }
    email: { type: string }
  required: [name, email]
---

Extract the contact.
`;

const line = (value: unknown) => JSON.stringify(value);

beforeAll(async () => {
  emulator = await startEmulator({
    batchProcessingDelayMs: 10,
    scenarios: [
      {
        name: 'sentiment',
        match: { userContains: ['Classify sentiment'] },
        replies: [{ content: [{ type: 'text', text: 'positive' }] }],
      },
      {
        name: 'contact',
        match: { userContains: ['Extract contact'] },
        replies: [
          { content: [{ type: 'text', text: '{"name":"Ada","email":"ada@example.com"}' }] },
        ],
      },
      {
        name: 'judge',
        match: { systemContains: 'You grade an answer' },
        replies: [
          { content: [{ type: 'text', text: '{"pass":true,"reason":"It is one word."}' }] },
        ],
      },
    ],
  });
  directory = mkdtempSync(join(tmpdir(), 'keel-eval-cli-'));
  process.env.ANTHROPIC_BASE_URL = emulator.url;
  process.env.ANTHROPIC_API_KEY = 'test-key';
  process.env.KEEL_DATABASE_URL = join(directory, 'keel.db');
  writeFileSync(join(directory, 'sentiment.md'), sentimentPrompt('Answer with one word.'));
  writeFileSync(join(directory, 'sentiment-v2.md'), sentimentPrompt('Answer with a single word.'));
  writeFileSync(join(directory, 'contact.md'), contactPrompt);
  writeFileSync(
    join(directory, 'passing.jsonl'),
    [
      line({
        id: 'love',
        variables: { text: 'I love it' },
        assert: [{ type: 'equals', value: 'positive' }],
      }),
      line({
        id: 'great',
        variables: { text: 'Great value' },
        assert: [
          { type: 'contains', value: 'POS', ignoreCase: true },
          { type: 'regex', pattern: '^pos' },
          { type: 'rubric', rubric: 'The answer is a single sentiment word.' },
        ],
      }),
    ].join('\n'),
  );
  writeFileSync(
    join(directory, 'failing.jsonl'),
    [
      line({
        id: 'love',
        variables: { text: 'I love it' },
        assert: [{ type: 'equals', value: 'positive' }],
      }),
      line({
        id: 'hate',
        variables: { text: 'I hate it' },
        assert: [{ type: 'equals', value: 'negative' }],
      }),
    ].join('\n'),
  );
  writeFileSync(
    join(directory, 'contact.jsonl'),
    line({
      id: 'ada',
      variables: { text: 'Ada, ada@example.com' },
      assert: [
        {
          type: 'json-schema',
          schema: {
            type: 'object',
            required: ['email'],
            properties: { email: { type: 'string' } },
          },
        },
        { type: 'json-field', path: 'name', equals: 'Ada' },
      ],
    }),
  );
});

afterAll(async () => {
  process.env = saved;
  await emulator?.close();
  rmSync(directory, { recursive: true, force: true });
});

async function keel(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const log = vi
    .spyOn(console, 'log')
    .mockImplementation((text: unknown) => void (out += `${String(text)}\n`));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((text: unknown) => void (err += `${String(text)}\n`));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((text: unknown) => {
    err += String(text);
    return true;
  });
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
    stderr.mockRestore();
  }
}

const file = (name: string) => join(directory, name);

describe('keel eval', () => {
  it('exits zero on a passing golden set and prints the table with costs', async () => {
    const run = await keel('eval', file('sentiment.md'), file('passing.jsonl'));
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/love\s+PASS\s+\$0\.\d{6}/);
    expect(run.out).toContain('2/2 passed (100.0%)');
    expect(run.err).toContain('eval sentiment [');
  });

  it('exits non-zero below the threshold and says which case failed', async () => {
    const run = await keel(
      'eval',
      file('sentiment.md'),
      file('failing.jsonl'),
      '--threshold',
      '0.9',
    );
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/hate\s+FAIL/);
    expect(run.out).toContain('expected "negative", got "positive"');
    expect(run.err).toContain('pass rate below 0.9');
  });

  it('passes a lower threshold with the same failing set', async () => {
    const run = await keel(
      'eval',
      file('sentiment.md'),
      file('failing.jsonl'),
      '--threshold',
      '0.5',
    );
    expect(run.code).toBe(0);
  });

  it('checks JSON output against a schema and a field', async () => {
    const run = await keel('eval', file('contact.md'), file('contact.jsonl'));
    expect(run.out).toContain('1/1 passed');
    expect(run.code).toBe(0);
  });

  it('runs the cases through the Batch API and compares two prompt versions', async () => {
    const run = await keel(
      'eval',
      file('sentiment.md'),
      file('failing.jsonl'),
      '--batch',
      '--poll-ms',
      '5',
      '--compare',
      file('sentiment-v2.md'),
      '--threshold',
      '0.5',
    );
    expect(run.code).toBe(0);
    expect(run.out).toContain('version comparison');
    expect(run.out.match(/pass 50\.0%/g)).toHaveLength(2);
    const versions = [...run.out.matchAll(/sentiment @ ([0-9a-f]{12})/g)].map((match) => match[1]);
    expect(new Set(versions).size).toBe(2);
  });
});
