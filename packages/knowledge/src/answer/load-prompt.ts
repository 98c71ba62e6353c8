import { readFileSync } from 'node:fs';
import { ValidationError } from '@keel/errors';

const promptsDir = new URL('../../prompts/', import.meta.url);

/** The prompt files shipped in this package. */
export type KnowledgePromptName = 'answer-system' | 'chunk-context';

/**
 * Reads a prompt file shipped with the package and fills its `{{name}}` placeholders. A
 * placeholder without a value, or a value nobody asked for, is an error: prompts are code.
 */
export function loadPrompt(
  name: KnowledgePromptName,
  variables: Record<string, string> = {},
): string {
  const template = readFileSync(new URL(`${name}.md`, promptsDir), 'utf8');
  const used = new Set<string>();
  const missing: string[] = [];
  const text = template.replace(/\{\{(\w+)\}\}/g, (_whole, key: string) => {
    used.add(key);
    const value = variables[key];
    if (value === undefined) missing.push(key);
    return value ?? '';
  });
  const unused = Object.keys(variables).filter((key) => !used.has(key));
  if (missing.length > 0 || unused.length > 0) {
    throw new ValidationError(`prompt ${name}.md`, [
      ...missing.map((key) => `placeholder {{${key}}} has no value`),
      ...unused.map((key) => `variable "${key}" is not used by the prompt`),
    ]);
  }
  return text.trim();
}
