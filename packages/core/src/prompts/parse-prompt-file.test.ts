import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KeelError } from '@keel/errors';
import { PromptFileError } from './prompt-file-error.ts';
import { loadPromptFile, parsePromptFile } from './parse-prompt-file.ts';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url).pathname;

function failure(run: () => unknown): PromptFileError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PromptFileError);
    expect(error).toBeInstanceOf(KeelError);
    return error as PromptFileError;
  }
  throw new Error('expected a PromptFileError');
}

describe('parsePromptFile', () => {
  it('loads a valid file with every feature', () => {
    const prompt = loadPromptFile(fixture('valid/code-review.md'));
    expect(prompt.id).toBe('code-review');
    expect(prompt.version).toMatch(/^[0-9a-f]{12}$/);
    expect(Object.keys(prompt.variables)).toEqual([
      'diff',
      'language',
      'strict',
      'focus',
      'max_issues',
    ]);
    expect(prompt.variables.strict).toEqual({ type: 'boolean', required: true });
    expect(prompt.variables.focus?.required).toBe(false);
    expect(prompt.body).toContain('{{language}} applications');
  });

  it('names the file and the line of a YAML syntax error', () => {
    const error = failure(() => loadPromptFile(fixture('broken/bad-yaml.md')));
    expect(error.code).toBe('prompt_file_invalid');
    expect(error.details.file).toBe(fixture('broken/bad-yaml.md'));
    // `diff: [string` is on line 6; the parser reports where the flow sequence breaks (line 6 or 7).
    expect(error.details.line).toBeGreaterThanOrEqual(6);
    expect(error.details.line).toBeLessThanOrEqual(7);
    expect(error.details.issues[0]).toMatch(/^YAML /);
  });

  it('names the field and its line when the schema is violated', () => {
    const error = failure(() => loadPromptFile(fixture('broken/bad-field.md')));
    expect(error.details.field).toBe('variables.diff');
    // The value of `diff` (its `type: text` line).
    expect(error.details.line).toBe(7);
    expect(error.message).toContain('bad-field.md');
  });

  it('rejects a placeholder that is not declared', () => {
    const error = failure(() => loadPromptFile(fixture('broken/undeclared.md')));
    expect(error.details.field).toBe('variables');
    expect(error.details.issues).toEqual(['{{name}} is used but not declared under variables']);
  });

  it('rejects a declared variable that is never used', () => {
    const text =
      '---\nid: x\nmodel: claude-sonnet-4-6\nmax_tokens: 10\nvariables:\n  name: string\n---\nHi\n';
    const error = failure(() => parsePromptFile({ text, file: 'x.md' }));
    expect(error.details.field).toBe('variables.name');
    expect(error.details.line).toBe(6);
  });

  it('checks models, including environment overrides, against the catalog', () => {
    const error = failure(() => loadPromptFile(fixture('broken/unknown-model.md')));
    expect(error.details.field).toBe('environments.staging.model');
    expect(error.details.line).toBe(7);
    const tooMany = '---\nid: x\nmodel: claude-opus-4-1\nmax_tokens: 64000\n---\nHi\n';
    expect(
      failure(() => parsePromptFile({ text: tooMany, file: 'x.md' })).details.issues[0],
    ).toMatch(/exceeds claude-opus-4-1-20250805's limit of 32000/);
  });

  it('requires front matter, a task or model, and a body', () => {
    expect(
      failure(() => parsePromptFile({ text: 'no front matter', file: 'a.md' })).details.line,
    ).toBe(1);
    const noModel = '---\nid: x\nmax_tokens: 10\n---\nHi\n';
    expect(failure(() => parsePromptFile({ text: noModel, file: 'b.md' })).details.issues).toEqual([
      'model: a prompt needs `task` or `model`',
    ]);
    const noBody = '---\nid: x\nmodel: claude-sonnet-4-6\nmax_tokens: 10\n---\n\n';
    expect(failure(() => parsePromptFile({ text: noBody, file: 'c.md' })).details.field).toBe(
      'body',
    );
    const typo = '---\nid: x\nmodel: claude-sonnet-4-6\nmax_token: 10\n---\nHi\n';
    const typoError = failure(() => parsePromptFile({ text: typo, file: 'd.md' }));
    expect(typoError.details.issues.join('\n')).toMatch(/max_tokens/);
    expect(typoError.details.issues.join('\n')).toMatch(/max_token/);
  });

  it('versions by content: stable across line endings, changed by any real edit', () => {
    const text = readFileSync(fixture('valid/greeting.md'), 'utf8');
    const base = parsePromptFile({ text, file: 'g.md' }).version;
    expect(parsePromptFile({ text: text.replace(/\n/g, '\r\n'), file: 'other.md' }).version).toBe(
      base,
    );
    expect(parsePromptFile({ text: text.replace(/\n/g, '  \n'), file: 'g.md' }).version).toBe(base);
    expect(
      parsePromptFile({ text: text.replace('warmly', 'kindly'), file: 'g.md' }).version,
    ).not.toBe(base);
    expect(parsePromptFile({ text: text.replace('256', '257'), file: 'g.md' }).version).not.toBe(
      base,
    );
  });

  it('turns output_schema into a zod schema, and rejects one that is not usable', () => {
    const prompt = loadPromptFile(fixture('valid/code-review.md'));
    expect(prompt.outputZodSchema?.safeParse({ summary: 'ok', approved: true }).success).toBe(true);
    expect(prompt.outputZodSchema?.safeParse({ summary: 'ok' }).success).toBe(false);
    expect(loadPromptFile(fixture('valid/greeting.md')).outputZodSchema).toBeUndefined();
    const text =
      '---\nid: x\nmodel: claude-sonnet-4-6\nmax_tokens: 10\noutput_schema:\n  type: object\n  properties:\n    a: { type: strin }\n---\nHi\n';
    const error = failure(() => parsePromptFile({ text, file: 'x.md' }));
    expect(error.details).toMatchObject({ field: 'output_schema', line: 6 });
    expect(error.details.issues[0]).toMatch(/Unsupported type: strin/);
  });
});
