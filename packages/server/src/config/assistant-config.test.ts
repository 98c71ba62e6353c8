import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@keel/errors';
import { afterAll, describe, expect, it } from 'vitest';
import { demoConfigPath, loadAssistantConfig, parseAssistantConfig } from './assistant-config.ts';

const scratch = mkdtempSync(join(tmpdir(), 'keel-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details.issues;
  }
  throw new Error('expected a ValidationError');
}

describe('assistant config', () => {
  it('loads the demo with every path made absolute', () => {
    const config = loadAssistantConfig(demoConfigPath);
    expect(config.name).toBe('Acme Store support');
    expect(config.systemPrompt.file).toBe(join(config.baseDir, 'prompts/support.md'));
    expect(config.knowledge?.folder).toBe(join(config.baseDir, 'knowledge'));
    expect(config.tools).toEqual(['get_order_status', 'list_customer_orders', 'search_policies']);
    expect(config.budgets.map((limit) => limit.scope)).toEqual(['user', 'session', 'global']);
    expect(config.budgets.find((limit) => limit.scope === 'global')).toMatchObject({
      period: 'day',
    });
    expect(config.registration.mode).toBe('open');
  });

  it('names every problem with its path: unknown keys, unknown tools, bad budgets, wrong types', () => {
    const issues = issuesOf(() =>
      parseAssistantConfig(
        {
          name: 'Mine',
          systemPrompt: { file: 'p.md' },
          tools: ['get_order_status', 'delete_all_orders'],
          budgets: [
            { scope: 'user', period: 'week', maxUsd: 5 },
            { scope: 'global', period: 'day' },
          ],
          rateLimits: { requestsPerMinute: -1 },
          modle: 'typo',
        },
        { source: 'mine.yaml', baseDir: scratch },
      ),
    );
    expect(issues.join('\n')).toMatch(/tools\.1: /);
    expect(issues.join('\n')).toMatch(/budgets\.0\.period/);
    expect(issues.join('\n')).toMatch(/budgets\.1.*maxUsd, maxTokens or both/);
    expect(issues.join('\n')).toMatch(/rateLimits\.requestsPerMinute/);
    expect(issues.join('\n')).toMatch(/Unrecognized key.*modle/);
  });

  it('reports unreadable files and YAML syntax errors with the file name', () => {
    const missing = join(scratch, 'missing.yaml');
    expect(issuesOf(() => loadAssistantConfig(missing))[0]).toMatch(/cannot read the file/);
    const broken = join(scratch, 'broken.yaml');
    writeFileSync(broken, 'name: [unclosed\n');
    expect(issuesOf(() => loadAssistantConfig(broken))[0]).toMatch(/not valid YAML/);
    try {
      loadAssistantConfig(broken);
    } catch (error) {
      expect((error as ValidationError).message).toContain(broken);
    }
  });
});

describe('front-door config', () => {
  const base = { name: 'Mine', systemPrompt: { file: 'p.md' } };
  it('defaults to open registration, no trusted proxy and 64 KB bodies', () => {
    const config = parseAssistantConfig(base, { source: 'mine.yaml', baseDir: scratch });
    expect(config.registration).toEqual({
      mode: 'open',
      perAddressPerHour: 5,
      inviteTtlHours: 168,
    });
    expect(config.http).toEqual({
      trustProxy: false,
      allowedOrigins: [],
      jsonBodyMaxBytes: 65_536,
    });
  });

  it('refuses an unknown registration mode and a trusted proxy that is not an address', () => {
    const issues = issuesOf(() =>
      parseAssistantConfig(
        { ...base, registration: { mode: 'public' }, http: { trustProxy: ['proxy.internal'] } },
        { source: 'mine.yaml', baseDir: scratch },
      ),
    ).join('\n');
    expect(issues).toMatch(/registration\.mode/);
    expect(issues).toMatch(/http\.trustProxy/);
  });
});
