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
    expect(config.budgets.map((limit) => limit.scope)).toEqual(['user', 'session']);
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
