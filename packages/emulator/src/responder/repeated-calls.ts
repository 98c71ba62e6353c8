import type { ToolParam } from '../messages/request-schema.ts';
import { fieldKind, type FieldKind } from './field-kind.ts';
import { isSchema, normalizeSchema, type JsonSchema } from './json-schema.ts';
import { stringCandidates } from './string-values.ts';
import { readTextFacts } from './text-facts.ts';

const listableKinds = new Set<FieldKind>(['place', 'id', 'email', 'url', 'person']);
const maxCalls = 5;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * When the user lists several values for a tool's key field ("weather in Paris, Rome and
 * Oslo", "status of ORD-1 and ORD-2"), the inputs for one call per value; otherwise just the
 * one input. Only values joined by commas, "and" or "or" count as a list.
 */
export function repeatedInputs(
  tool: ToolParam,
  input: Record<string, unknown>,
  fullText: string,
): Array<Record<string, unknown>> {
  const root = tool.input_schema as JsonSchema;
  const properties = isSchema(root.properties) ? root.properties : {};
  const facts = readTextFacts(fullText);
  const text = facts.text;
  for (const [name, raw] of Object.entries(properties)) {
    if (!isSchema(raw)) continue;
    const schema = normalizeSchema(raw, root);
    const value = input[name];
    if (typeof value !== 'string' || schema.type !== 'string' || schema.enum) continue;
    const kind = fieldKind(name, schema.format, schema.description);
    if (!listableKinds.has(kind)) continue;
    const candidates = stringCandidates(kind, name, facts).filter((c) => c !== value);
    const values = [value];
    let at = text.indexOf(value);
    if (at === -1) continue;
    at += value.length;
    while (values.length < maxCalls) {
      const rest = text.slice(at);
      const next = candidates.find((candidate) =>
        new RegExp(
          `^(?:\\s*,\\s*(?:and\\s+|or\\s+)?|\\s+(?:and|or)\\s+)${escapeRegExp(candidate)}(?![\\w-])`,
        ).test(rest),
      );
      if (next === undefined) break;
      values.push(next);
      at += rest.indexOf(next) + next.length;
    }
    if (values.length > 1) return values.map((item) => ({ ...input, [name]: item }));
  }
  return [input];
}
