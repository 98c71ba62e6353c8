import { z } from 'zod';
import type { Assertion } from './golden-case.ts';

/** The outcome of one assertion. */
export interface AssertionOutcome {
  /** The assertion checked. */
  assertion: Assertion;
  /** Whether it held. */
  pass: boolean;
  /** Why it failed (or the judge's reason). */
  reason?: string;
}

/** Judges an output against a rubric: resolves with pass/fail, a reason and the judge's cost. */
export type RubricJudge = (
  rubric: string,
  output: string,
) => Promise<{ pass: boolean; reason: string; costPicoUsd: bigint }>;

/** Checks one assertion; `rubric` needs a judge. Never throws for a bad output: it fails. */
export async function checkAssertion(
  assertion: Assertion,
  output: string,
  judge: RubricJudge | undefined,
): Promise<AssertionOutcome & { costPicoUsd: bigint }> {
  const fail = (reason: string) => ({ assertion, pass: false, reason, costPicoUsd: 0n });
  const ok = { assertion, pass: true, costPicoUsd: 0n };
  switch (assertion.type) {
    case 'equals':
      return output.trim() === assertion.value.trim()
        ? ok
        : fail(`expected "${assertion.value}", got "${clip(output)}"`);
    case 'contains': {
      const haystack = assertion.ignoreCase ? output.toLowerCase() : output;
      const needle = assertion.ignoreCase ? assertion.value.toLowerCase() : assertion.value;
      return haystack.includes(needle) ? ok : fail(`"${assertion.value}" not found`);
    }
    case 'regex':
      return new RegExp(assertion.pattern, assertion.flags).test(output)
        ? ok
        : fail(`/${assertion.pattern}/ did not match`);
    case 'json-schema': {
      const json = parseJson(output);
      if (!json.ok) return fail('output is not JSON');
      const schema = z.fromJSONSchema(assertion.schema);
      const parsed = schema.safeParse(json.value);
      return parsed.success
        ? ok
        : fail(
            parsed.error.issues
              .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
              .join('; '),
          );
    }
    case 'json-field': {
      const json = parseJson(output);
      if (!json.ok) return fail('output is not JSON');
      const actual = fieldAt(json.value, assertion.path);
      return JSON.stringify(actual) === JSON.stringify(assertion.equals)
        ? ok
        : fail(`${assertion.path} is ${JSON.stringify(actual)}`);
    }
    case 'rubric': {
      if (!judge) return fail('no judge configured for rubric assertions');
      const verdict = await judge(assertion.rubric, output);
      return {
        assertion,
        pass: verdict.pass,
        reason: verdict.reason,
        costPicoUsd: verdict.costPicoUsd,
      };
    }
  }
}

/** Reads `a.b.0.c` out of a JSON value; undefined when any step is missing. */
export function fieldAt(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Parses JSON, also when the model wrapped it in a ```json fence. */
function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(text.trim());
  try {
    return { ok: true, value: JSON.parse(fenced ? fenced[1]! : text) };
  } catch {
    return { ok: false };
  }
}

function clip(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
