import Anthropic from '@anthropic-ai/sdk';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultUpstream, parseEmulatorArguments } from './emulator-arguments.ts';
import { emulatorCommand } from './emulator.ts';

const keelBin = fileURLToPath(new URL('../../bin/keel.js', import.meta.url));

describe('keel emulator arguments', () => {
  it('maps every flag onto emulator options', () => {
    const parsed = parseEmulatorArguments([
      '--port=0',
      '--host',
      '0.0.0.0',
      '--latency',
      'realistic',
      '--seed',
      '7',
      '--rpm',
      '50',
      '--itpm',
      '30000',
      '--otpm',
      '8000',
      '--fault',
      'overloaded:0.25',
      '--fault',
      'stream_cut',
      '--scenarios',
      'a.yaml',
      '--scenarios',
      'b.json',
      '--batch-delay-ms',
      '250',
      '--batch-result-order',
      'request',
      '--api-key',
      'k1',
      '--api-key',
      'k2',
      '--replay',
      'cassettes',
    ]);
    expect(parsed).toEqual({
      ok: true,
      options: {
        port: 0,
        host: '0.0.0.0',
        latency: 'realistic',
        seed: 7,
        rateLimits: {
          requestsPerMinute: 50,
          inputTokensPerMinute: 30000,
          outputTokensPerMinute: 8000,
        },
        faults: [{ type: 'overloaded', rate: 0.25 }, { type: 'stream_cut' }],
        scenarios: ['a.yaml', 'b.json'],
        batchProcessingDelayMs: 250,
        batchResultOrder: 'request',
        apiKeys: ['k1', 'k2'],
        recordReplay: { mode: 'replay', cassetteDir: 'cassettes' },
      },
      notes: ['replaying /v1 requests from cassettes in cassettes'],
    });
  });

  it('defaults to port 4010 and records from the real API unless told otherwise', () => {
    const plain = parseEmulatorArguments([]);
    expect(plain.ok && plain.options).toEqual({
      port: 4010,
      host: '127.0.0.1',
      latency: 'none',
      seed: 1,
    });
    const record = parseEmulatorArguments(['--record', 'out']);
    expect(record.ok && record.options.recordReplay).toEqual({
      mode: 'record',
      cassetteDir: 'out',
      upstream: defaultUpstream,
    });
  });

  it.each([
    [['--port', '70000'], /--port/],
    [['--latency', 'slow'], /--latency/],
    [['--rpm', '0'], /--rpm/],
    [['--fault', 'meteor'], /--fault must be type/],
    [['--fault', 'api_error:2'], /rate must be a number from 0 to 1/],
    [['--record', 'a', '--replay', 'b'], /cannot be used together/],
    [['--upstream', 'http://x'], /only applies with --record/],
    [['--record', 'a', '--upstream', 'not a url'], /absolute URL/],
    [['--api-key', ''], /must not be empty/],
    [['--batch-result-order', 'random'], /--batch-result-order must be one of shuffled, request/],
    [['--bogus'], /bogus/],
  ])('refuses %j', (argv, message) => {
    const parsed = parseEmulatorArguments(argv);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });
});

describe('keel emulator as a process', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  /** Resolves with the first stdout line, or rejects if the process ends first. */
  function firstLine(process: ChildProcess): Promise<string> {
    return new Promise((resolve, reject) => {
      let buffered = '';
      let errors = '';
      process.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      process.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const end = buffered.indexOf('\n');
        if (end !== -1) resolve(buffered.slice(0, end).trim());
      });
      process.once('exit', (code) => reject(new Error(`keel exited with ${code}: ${errors}`)));
    });
  }

  it('prints its URL once ready, serves the SDK with the given flags, and stops on SIGTERM', async () => {
    child = spawn(
      process.execPath,
      [keelBin, 'emulator', '--port', '0', '--api-key', 'cli-key', '--fault', 'overloaded'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const url = await firstLine(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const client = new Anthropic({ apiKey: 'cli-key', baseURL: url, maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data.length).toBeGreaterThan(0);
    // --fault overloaded hits every /v1/messages request.
    await expect(
      client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toMatchObject({ status: 529 });
    // --api-key locks out every other key.
    const stranger = new Anthropic({ apiKey: 'other', baseURL: url, maxRetries: 0 });
    await expect(stranger.models.list()).rejects.toBeInstanceOf(Anthropic.AuthenticationError);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('returns exit code 2 with a message on a bad flag, before starting anything', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      expect(await emulatorCommand.run(['--fault', 'meteor'])).toBe(2);
    } finally {
      console.error = original;
    }
    expect(errors.join('\n')).toMatch(/^keel emulator: --fault must be type/);
  });
});
