/**
 * Just enough JSON Schema handling for the responder to fill values: a loose schema type,
 * `$ref` resolution against the root, `allOf` merging, and the constraint hints the official
 * SDK moves into descriptions (`{minLength: 3, maximum: 10}`) when it strips them for the API.
 */

/** A JSON Schema object, read loosely. */
export type JsonSchema = { [keyword: string]: unknown };

export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves a local `$ref` (`#/$defs/X`, `#/definitions/X`, `#`) against the root schema. */
function resolveRef(ref: string, root: JsonSchema): JsonSchema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isSchema(node)) return undefined;
    node = node[key];
  }
  return isSchema(node) ? node : undefined;
}

/** Parses the `{key: value, ...}` hint at the end of a description, if any. */
function descriptionHints(description: unknown): JsonSchema {
  if (typeof description !== 'string') return {};
  const match = description.match(/\{([A-Za-z]+: [^\n]*)\}\s*$/);
  if (!match) return {};
  const json = `{${match[1]!.replace(/(^|, )([A-Za-z]+): /g, '$1"$2": ')}}`;
  try {
    const parsed: unknown = JSON.parse(json);
    return isSchema(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/**
 * Returns the schema with its `$ref` followed, `allOf` merged and description hints applied.
 * `depth` guards against recursive references.
 */
export function normalizeSchema(schema: JsonSchema, root: JsonSchema, depth = 0): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string' && hops < 10; hops++) {
    const target = resolveRef(current.$ref, root);
    if (!target) break;
    const { $ref: _ref, ...rest } = current;
    current = { ...target, ...rest };
  }
  if (Array.isArray(current.allOf) && depth < 8) {
    const { allOf, ...rest } = current;
    let merged: JsonSchema = { ...rest };
    for (const part of allOf) {
      if (!isSchema(part)) continue;
      const normalized = normalizeSchema(part, root, depth + 1);
      merged = {
        ...normalized,
        ...merged,
        properties: { ...(normalized.properties as object), ...(merged.properties as object) },
        required: [
          ...((normalized.required as string[] | undefined) ?? []),
          ...((merged.required as string[] | undefined) ?? []),
        ],
      };
      if (merged.type === undefined && normalized.type !== undefined) merged.type = normalized.type;
    }
    current = merged;
  }
  const hints = descriptionHints(current.description);
  return Object.keys(hints).length > 0 ? { ...hints, ...current } : current;
}

/** The schema's type, choosing the first non-null one of a type list and inferring when absent. */
export function schemaType(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type as string[]).find((t) => t !== 'null') ?? 'null';
  if (schema.properties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

/** A numeric keyword, if present. */
export function numberKeyword(schema: JsonSchema, keyword: string): number | undefined {
  const value = schema[keyword];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
