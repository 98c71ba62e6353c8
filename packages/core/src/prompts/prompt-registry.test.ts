import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PromptFileError, UnknownPromptError } from './prompt-file-error.ts';
import { loadPromptRegistry } from './prompt-registry.ts';

const fixtures = new URL('./__fixtures__/', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'keel-prompts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('loadPromptRegistry', () => {
  it('loads every prompt of a folder and renders by id for its environment', () => {
    const registry = loadPromptRegistry({
      directory: join(fixtures, 'valid'),
      environment: 'development',
    });
    expect(registry.ids()).toEqual(['code-review', 'greeting']);
    expect(registry.has('greeting')).toBe(true);
    const rendered = registry.render('code-review', {
      diff: 'x',
      language: 'python',
      strict: false,
      max_issues: 1,
    });
    expect(rendered.model).toBe('claude-haiku-4-5');
    expect(registry.render('greeting').tags.promptId).toBe('greeting');
    expect(
      registry.render(
        'code-review',
        { diff: 'x', language: 'python', strict: false, max_issues: 1 },
        'production',
      ).model,
    ).toBe('claude-sonnet-4-6');
  });

  it('fails at load on the first broken file', () => {
    expect(() => loadPromptRegistry({ directory: join(fixtures, 'broken') })).toThrow(
      PromptFileError,
    );
    expect(() => loadPromptRegistry({ directory: join(scratch, 'absent') })).toThrow(
      PromptFileError,
    );
  });

  it('rejects two files with the same id, naming both', () => {
    mkdirSync(join(scratch, 'dupes', 'nested'), { recursive: true });
    const text = '---\nid: same\nmodel: claude-sonnet-4-6\nmax_tokens: 10\n---\nHi\n';
    writeFileSync(join(scratch, 'dupes', 'a.md'), text);
    writeFileSync(join(scratch, 'dupes', 'nested', 'b.md'), text);
    writeFileSync(join(scratch, 'dupes', 'notes.txt'), 'not a prompt');
    try {
      loadPromptRegistry({ directory: join(scratch, 'dupes') });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PromptFileError);
      expect((error as PromptFileError).details.field).toBe('id');
      expect((error as PromptFileError).details.issues[0]).toContain(
        join(scratch, 'dupes', 'a.md'),
      );
    }
  });

  it('throws a typed error for an unknown id', () => {
    const registry = loadPromptRegistry({ directory: join(fixtures, 'valid') });
    expect(() => registry.get('nope')).toThrow(UnknownPromptError);
  });
});
