import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { ValidationError } from '@keel/errors';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKeelFromConfig } from '../client/create-keel-from-config.ts';
import { loadEnvironment } from './load-environment.ts';
import { loadKeelConfig } from './load-keel-config.ts';

let emulator: EmulatorHandle;
const directories: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'keel-config-'));
  directories.push(directory);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(directory, name, '..'), { recursive: true });
    writeFileSync(join(directory, name), content);
  }
  return directory;
}

function validationError(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('loadEnvironment', () => {
  it('reads .env, and the environment wins over it', () => {
    const cwd = project({
      '.env': 'ANTHROPIC_API_KEY=from-file\nANTHROPIC_BASE_URL="http://127.0.0.1:9"\n# comment\n',
    });
    expect(loadEnvironment({ cwd, env: {} })).toEqual({
      apiKey: 'from-file',
      baseURL: 'http://127.0.0.1:9',
      environment: 'development',
      sources: { apiKey: 'dotenv', baseURL: 'dotenv' },
    });
    const fromEnv = loadEnvironment({
      cwd,
      env: { ANTHROPIC_API_KEY: 'from-env', KEEL_ENV: 'production' },
    });
    expect(fromEnv.apiKey).toBe('from-env');
    expect(fromEnv.sources.apiKey).toBe('env');
    expect(fromEnv.environment).toBe('production');
  });

  it('rejects a bad KEEL_ENV or base URL by name', () => {
    expect(
      validationError(() => loadEnvironment({ env: { KEEL_ENV: 'prod' }, envFile: false })).details
        .source,
    ).toBe('KEEL_ENV');
    expect(
      validationError(() =>
        loadEnvironment({ env: { ANTHROPIC_BASE_URL: 'localhost:4010' }, envFile: false }),
      ).details.source,
    ).toBe('ANTHROPIC_BASE_URL');
  });
});

describe('loadKeelConfig', () => {
  it('returns an empty config when there is no file', () => {
    expect(loadKeelConfig({ cwd: project({}) })).toEqual({ config: {}, path: undefined });
  });

  it('reads YAML and JSON', () => {
    const cwd = project({
      'keel.config.yaml':
        'environment: staging\nrouting:\n  tasks:\n    chat: claude-haiku-4-5\nfallbacks:\n  claude-sonnet-4-6: [claude-haiku-4-5]\nbudgets:\n  - scope: user\n    period: day\n    maxUsd: "5"\n',
    });
    const { config, path } = loadKeelConfig({ cwd });
    expect(path).toBe(join(cwd, 'keel.config.yaml'));
    expect(config.routing?.tasks).toEqual({ chat: 'claude-haiku-4-5' });
    expect(config.budgets).toEqual([{ scope: 'user', period: 'day', maxUsd: '5' }]);
    const json = project({ 'keel.config.json': JSON.stringify({ resilience: { maxRetries: 5 } }) });
    expect(loadKeelConfig({ cwd: json }).config.resilience?.maxRetries).toBe(5);
  });

  it('names the file and the field of every problem', () => {
    const cwd = project({
      'keel.config.json': JSON.stringify({
        resilience: { maxRetries: -1, circuitBreaker: { failureRateThreshold: 2 } },
        budgets: [{ scope: 'team', period: 'day', maxUsd: '5' }],
        unknownSection: true,
      }),
    });
    const error = validationError(() => loadKeelConfig({ cwd }));
    expect(error.details.source).toBe(join(cwd, 'keel.config.json'));
    const text = error.details.issues.join('\n');
    expect(text).toMatch(/resilience\.maxRetries/);
    expect(text).toMatch(/resilience\.circuitBreaker\.failureRateThreshold/);
    expect(text).toMatch(/budgets\[0\]\.scope/);
    expect(text).toMatch(/unknownSection/);
    expect(error.message).toContain('keel.config.json');
  });

  it('rejects unknown models in routing and fallbacks', () => {
    const cwd = project({
      'keel.config.yml': 'fallbacks:\n  claude-sonnet-4-6: [claude-sonnet-9]\n',
    });
    expect(validationError(() => loadKeelConfig({ cwd })).details.issues).toEqual([
      'fallbacks.claude-sonnet-4-6[0]: unknown model "claude-sonnet-9"',
    ]);
    const broken = project({ 'keel.config.yaml': 'routing: [unclosed' });
    expect(validationError(() => loadKeelConfig({ cwd: broken })).details.issues[0]).toMatch(
      /not valid YAML/,
    );
  });
});

describe('createKeelFromConfig', () => {
  it('builds a working client from .env and the config file, with the ledger in .keel/', async () => {
    const cwd = project({
      '.env': `ANTHROPIC_API_KEY=dotenv-key\nANTHROPIC_BASE_URL=${emulator.url}\n`,
      'keel.config.yaml':
        'environment: production\nrouting:\n  tasks:\n    chat: claude-haiku-4-5-20251001\nlogging:\n  level: silent\n',
    });
    const configured = await createKeelFromConfig({ cwd, env: {} });
    try {
      expect(configured.keel.routing.environment).toBe('production');
      const result = await configured.keel.call(
        { task: 'chat', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] },
        { tags: { feature: 'config-test' } },
      );
      expect(result.modelServed).toBe('claude-haiku-4-5-20251001');
      await configured.keel.close();
      const entries = await configured.ledger!.list({ feature: 'config-test' });
      expect(entries.map((entry) => entry.requestId)).toEqual([result.requestId]);
      const logged = emulator.state.requestLog.list().at(-1)!;
      expect(logged.apiKeyHash).toMatch(/^sha256:/);
    } finally {
      await configured.close();
    }
  });
});
