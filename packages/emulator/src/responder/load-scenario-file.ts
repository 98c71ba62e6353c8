import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { KeelError, ValidationError } from '@keel/errors';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { Scenario } from './scenario.ts';
import { scenarioSchema } from './scenario-schema.ts';

/** A scenario file that could not be read at all (missing, unreadable). */
export class ScenarioFileError extends KeelError<
  { path: string; reason: string },
  'scenario_file_unreadable'
> {
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(
      'scenario_file_unreadable',
      `Cannot read scenario file ${path}: ${reason}`,
      { path, reason },
      options,
    );
  }
}

function describe(issues: readonly z.core.$ZodIssue[], prefix: (string | number)[] = []): string[] {
  return issues.map((issue) => {
    const path = [...prefix, ...issue.path].map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

/**
 * Validates scenarios given as data: one scenario, a list, or `{ scenarios: [...] }`. Raises a
 * ValidationError naming `source` and each bad field (`0.replies.1.content.0.name: ...`).
 */
export function parseScenarios(value: unknown, source: string): Scenario[] {
  const list: unknown[] | undefined = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null && 'scenarios' in value && !('name' in value)
      ? (value.scenarios as unknown[])
      : undefined;
  if (list === undefined) {
    const parsed = scenarioSchema.safeParse(value);
    if (!parsed.success) throw new ValidationError(source, describe(parsed.error.issues));
    return [parsed.data];
  }
  if (!Array.isArray(list)) throw new ValidationError(source, ['scenarios: expected a list']);
  const issues: string[] = [];
  const scenarios: Scenario[] = [];
  list.forEach((entry, index) => {
    const parsed = scenarioSchema.safeParse(entry);
    if (parsed.success) scenarios.push(parsed.data);
    else
      issues.push(
        ...describe(parsed.error.issues, Array.isArray(value) ? [index] : ['scenarios', index]),
      );
  });
  const names = new Set<string>();
  for (const scenario of scenarios) {
    if (names.has(scenario.name))
      issues.push(`name: "${scenario.name}" is used by more than one scenario`);
    names.add(scenario.name);
  }
  if (issues.length > 0) throw new ValidationError(source, issues);
  return scenarios;
}

/**
 * Reads a scenario file (YAML, or JSON for `.json`) holding one scenario or a list. Raises
 * ScenarioFileError when the file cannot be read, ValidationError (naming the file and the
 * field) when its content is wrong.
 */
export function loadScenarioFile(path: string): Scenario[] {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ScenarioFileError(path, code === 'ENOENT' ? 'no such file' : String(error), {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = extname(path).toLowerCase() === '.json' ? JSON.parse(source) : parseYaml(source);
  } catch (error) {
    throw new ValidationError(
      path,
      [
        `not valid ${extname(path).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
      ],
      { cause: error },
    );
  }
  return parseScenarios(data, path);
}
