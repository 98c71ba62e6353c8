import { ValidationError } from '@keel/errors';
import { z } from 'zod';

/** One check on a case's output. */
export const assertionSchema = z.discriminatedUnion('type', [
  /** The output, trimmed, equals `value`. */
  z.object({ type: z.literal('equals'), value: z.string() }),
  /** The output contains `value` (case-sensitive unless `ignoreCase`). */
  z.object({ type: z.literal('contains'), value: z.string(), ignoreCase: z.boolean().optional() }),
  /** The output matches the regular expression. */
  z.object({ type: z.literal('regex'), pattern: z.string(), flags: z.string().optional() }),
  /** The output is JSON valid against the JSON Schema. */
  z.object({ type: z.literal('json-schema'), schema: z.record(z.string(), z.unknown()) }),
  /** The output is JSON and the field at `path` (`a.b.0.c`) equals `equals`. */
  z.object({ type: z.literal('json-field'), path: z.string().min(1), equals: z.unknown() }),
  /** A cheap model judges the output against the rubric, pass or fail. */
  z.object({ type: z.literal('rubric'), rubric: z.string().min(1) }),
]);

/** One check on a case's output. */
export type Assertion = z.infer<typeof assertionSchema>;

const caseSchema = z.object({
  id: z.string().min(1).optional(),
  variables: z.record(z.string(), z.unknown()).default({}),
  assert: z.array(assertionSchema).min(1),
});

/** One golden case: the prompt's variables and what the output must satisfy. */
export interface GoldenCase {
  /** The case's id (`case-<line>` when the line gives none). */
  id: string;
  /** The prompt file's variables. */
  variables: Record<string, unknown>;
  /** Every assertion must pass for the case to pass. */
  assert: Assertion[];
}

/**
 * Parses a golden dataset: one JSON object per line, `{ id?, variables, assert: [...] }`. Every
 * bad line is reported at once, by file, line and field.
 */
export function parseGoldenSet(text: string, file: string): GoldenCase[] {
  const cases: GoldenCase[] = [];
  const issues: string[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('//')) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      issues.push(`line ${index + 1}: not JSON`);
      return;
    }
    const parsed = caseSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push(`line ${index + 1}: ${issue.path.join('.') || '(line)'}: ${issue.message}`);
      }
      return;
    }
    const id = parsed.data.id ?? `case-${index + 1}`;
    if (seen.has(id)) issues.push(`line ${index + 1}: id "${id}" repeats`);
    seen.add(id);
    cases.push({ id, variables: parsed.data.variables, assert: parsed.data.assert });
  });
  if (issues.length === 0 && cases.length === 0) issues.push('no cases');
  if (issues.length > 0) throw new ValidationError(file, issues);
  return cases;
}
