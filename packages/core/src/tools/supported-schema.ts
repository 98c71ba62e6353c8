import { structuredOutputStringFormats, structuredOutputUnsupportedKeywords } from '@keel/models';

/** A JSON Schema as plain data. */
export type JsonSchema = Record<string, unknown>;

/** Lookaround and backreferences, which the grammar compiler rejects. */
const unsupportedPattern = /\(\?<?[=!]|\\[1-9]|\\k</;

/** The result of {@link toSupportedSchema}. */
export interface SupportedSchema {
  /** The schema to send: the subset native structured outputs and strict tools accept. */
  schema: JsonSchema;
  /** Where constraints were removed (`properties.age: minimum`); they must be checked client-side. */
  removed: string[];
  /** True when the schema refers to itself; such schemas cannot be sent in strict mode. */
  recursive: boolean;
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRecursive(root: JsonSchema): boolean {
  const definitions = { ...(root.$defs as JsonSchema), ...(root.definitions as JsonSchema) };
  const refsIn = (node: unknown, found: Set<string>): Set<string> => {
    if (Array.isArray(node)) node.forEach((item) => refsIn(item, found));
    else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') found.add(value);
        else refsIn(value, found);
      }
    }
    return found;
  };
  if (refsIn({ ...root, $defs: undefined, definitions: undefined }, new Set()).has('#'))
    return true;
  const name = (ref: string) => ref.replace(/^#\/(\$defs|definitions)\//, '');
  const edges = new Map<string, string[]>();
  for (const [key, value] of Object.entries(definitions)) {
    const refs = [...refsIn(value, new Set())];
    if (refs.includes('#')) return true;
    edges.set(key, refs.map(name));
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const cycle = (node: string): boolean => {
    if (visiting.has(node)) return true;
    if (done.has(node)) return false;
    visiting.add(node);
    const found = (edges.get(node) ?? []).some(cycle);
    visiting.delete(node);
    done.add(node);
    return found;
  };
  return [...edges.keys()].some(cycle);
}

/**
 * Transforms a JSON Schema into the subset that native structured outputs (`output_config.format`)
 * and strict tools accept: numeric, length and most array bounds, unsupported formats and complex
 * patterns are removed, `oneOf` becomes `anyOf`, and every object gets `additionalProperties: false`. Removed constraints are reported so the caller validates them
 * after the response (Keel validates with the original zod schema).
 */
export function toSupportedSchema(input: JsonSchema): SupportedSchema {
  const removed: string[] = [];
  const visit = (node: unknown, path: string): unknown => {
    if (Array.isArray(node)) return node.map((item, index) => visit(item, `${path}[${index}]`));
    if (!isObject(node)) return node;
    const out: JsonSchema = {};
    const here = path === '' ? '(root)' : path;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$schema') continue;
      if ((structuredOutputUnsupportedKeywords as readonly string[]).includes(key)) {
        removed.push(`${here}: ${key}`);
        continue;
      }
      if (key === 'minItems' && typeof value === 'number' && value > 1) {
        removed.push(`${here}: minItems`);
        continue;
      }
      if (
        key === 'format' &&
        typeof value === 'string' &&
        !structuredOutputStringFormats.has(value)
      ) {
        removed.push(`${here}: format`);
        continue;
      }
      if (
        key === 'pattern' &&
        typeof value === 'string' &&
        (unsupportedPattern.test(value) || 'format' in node)
      ) {
        removed.push(`${here}: pattern`);
        continue;
      }
      if (key === 'properties' && isObject(value)) {
        out.properties = Object.fromEntries(
          Object.entries(value).map(([name, child]) => [
            name,
            visit(child, path === '' ? `properties.${name}` : `${path}.properties.${name}`),
          ]),
        );
        continue;
      }
      const childPath = path === '' ? key : `${path}.${key}`;
      out[key === 'oneOf' ? 'anyOf' : key] = visit(value, childPath);
    }
    const isObjectType = out.type === 'object' || (out.type === undefined && 'properties' in out);
    if (isObjectType) {
      if (out.additionalProperties !== undefined && out.additionalProperties !== false) {
        removed.push(`${here}: additionalProperties`);
      }
      out.additionalProperties = false;
      out.properties ??= {};
    }
    return out;
  };
  const schema = visit(input, '') as JsonSchema;
  return { schema, removed, recursive: isRecursive(schema) };
}

/**
 * Drops `$schema` and closes every object (`additionalProperties: false`) while keeping all other
 * constraints: the form for non-strict tools, where the model reads bounds as hints.
 */
export function closeObjects(input: JsonSchema): JsonSchema {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isObject(node)) return node;
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$schema') continue;
      out[key] =
        key === 'properties' && isObject(value)
          ? Object.fromEntries(Object.entries(value).map(([name, child]) => [name, visit(child)]))
          : visit(value);
    }
    if (out.type === 'object' && out.additionalProperties === undefined) {
      out.additionalProperties = false;
    }
    return out;
  };
  return visit(input) as JsonSchema;
}
