import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultModelCatalog } from '@keel/models';
import { describe, expect, it } from 'vitest';

// Building blocks ask for a task and the routing table (routing-table.json) picks the model, so a
// model change is a data change. A catalog id or alias written into source is a second home for
// that decision and drifts: this fails on any, in the source of the packages that call Claude.
// Data files (JSON, YAML, prompt files) and tests, fixtures and test support may name models.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const scanned = ['core', 'knowledge', 'server', 'cli', 'web'].map((name) =>
  join(root, 'packages', name, 'src'),
);
const isTestCode = (path: string) =>
  /\.(test|test-d|fixture|e2e\.test)\.tsx?$/.test(path) ||
  /[/\\](test-support|__fixtures__|e2e)[/\\]/.test(path);

const catalog = defaultModelCatalog();
const names = new Set(catalog.models.flatMap((model) => [model.id, ...model.aliases]));

/** Every catalog id or alias in a text, with its line number. */
function modelIdLiterals(text: string): Array<{ line: number; name: string }> {
  const found: Array<{ line: number; name: string }> = [];
  text.split('\n').forEach((content, index) => {
    for (const match of content.matchAll(/claude-[a-z0-9]+(?:-[a-z0-9]+)*/g)) {
      if (names.has(match[0])) found.push({ line: index + 1, name: match[0] });
    }
  });
  return found;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !isTestCode(path) ? [path] : [];
  });
}

describe('model ids in source', () => {
  it('finds catalog ids and aliases, not look-alikes (the check itself)', () => {
    const id = catalog.models[0]!.id;
    expect(modelIdLiterals(`const a = 1;\nconst model = '${id}';`)).toEqual([
      { line: 2, name: id },
    ]);
    // Tokenizer generations and file names are not models.
    expect(modelIdLiterals("tokenizer: 'claude-3'; import './claude-api-error.ts';")).toEqual([]);
  });

  it('appear in no source file of core, knowledge, server, cli or web outside data and tests', () => {
    const files = scanned.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.flatMap((file) =>
      modelIdLiterals(readFileSync(file, 'utf8')).map(
        ({ line, name }) => `${relative(root, file)}:${line}: ${name}`,
      ),
    );
    expect(offenders, 'ask for a task (routing-table.json) or put the id in a data file').toEqual(
      [],
    );
  });
});
