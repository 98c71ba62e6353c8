import { structuredOutputStringFormats, structuredOutputUnsupportedKeywords } from '@keel/models';
import { invalidRequest } from '../http/api-error.ts';

/**
 * The JSON Schema subset structured outputs accept (`output_config.format.schema` and the
 * `input_schema` of `strict` tools), per
 * https://platform.claude.com/docs/en/build-with-claude/structured-outputs (JSON Schema
 * limitations): basic types, enum of scalars, const, anyOf/allOf, local $ref/$defs/definitions,
 * default, required, `additionalProperties: false` on every object, a fixed set of string
 * formats, `minItems` of 0 or 1; no numeric or string-length constraints, no other array bounds.
 *
 * Error wording, as the API answered (third-party reports quoting the 400 body):
 * - "For 'object' type, 'additionalProperties' must be explicitly set to false"
 *   (github.com/veryfront/veryfront-code/issues/3918, 2026-08)
 * - "For 'integer' type, property 'minimum' is not supported"
 *   (github.com/agentjido/req_llm/issues/302)
 * - "For 'array' type, 'minItems' values other than 0 or 1 are not supported"
 *   (github.com/ghostlobster/memorize-everything/issues/93)
 * Other unsupported keywords use the second pattern with their own type and name (extrapolated).
 */

/** Keywords the API rejects: the shared list, and `oneOf` (the docs list only anyOf/allOf). */
const unsupportedKeywords = [...structuredOutputUnsupportedKeywords, 'oneOf'] as const;

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(schema: Schema): string {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type) && typeof type[0] === 'string') return type[0];
  if ('properties' in schema) return 'object';
  if ('items' in schema) return 'array';
  return 'schema';
}

function hasType(schema: Schema, name: string): boolean {
  const type = schema.type;
  return type === name || (Array.isArray(type) && type.includes(name));
}

function checkNode(schema: Schema, fail: (message: string) => never): void {
  const type = typeName(schema);
  for (const keyword of unsupportedKeywords) {
    if (keyword in schema) fail(`For '${type}' type, property '${keyword}' is not supported`);
  }
  if (hasType(schema, 'object') || 'properties' in schema) {
    if (schema.additionalProperties !== false) {
      fail(`For 'object' type, 'additionalProperties' must be explicitly set to false`);
    }
  }
  if ('minItems' in schema && schema.minItems !== 0 && schema.minItems !== 1) {
    fail(`For 'array' type, 'minItems' values other than 0 or 1 are not supported`);
  }
  if (typeof schema.format === 'string' && !structuredOutputStringFormats.has(schema.format)) {
    fail(`For 'string' type, format '${schema.format}' is not supported`);
  }
  if (
    Array.isArray(schema.enum) &&
    schema.enum.some((value) => typeof value === 'object' && value !== null)
  ) {
    fail(`For '${type}' type, 'enum' values must be strings, numbers, booleans or null`);
  }
  if (typeof schema.$ref === 'string' && !schema.$ref.startsWith('#')) {
    fail(`External '$ref' values are not supported: ${schema.$ref}`);
  }
}

function walk(schema: unknown, fail: (message: string) => never): void {
  if (!isSchema(schema)) return;
  checkNode(schema, fail);
  for (const key of ['properties', '$defs', 'definitions'] as const) {
    const children = schema[key];
    if (isSchema(children)) for (const child of Object.values(children)) walk(child, fail);
  }
  if (isSchema(schema.additionalProperties)) walk(schema.additionalProperties, fail);
  if (Array.isArray(schema.items)) schema.items.forEach((item) => walk(item, fail));
  else walk(schema.items, fail);
  if (Array.isArray(schema.prefixItems)) schema.prefixItems.forEach((item) => walk(item, fail));
  for (const key of ['anyOf', 'allOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) branches.forEach((branch) => walk(branch, fail));
  }
}

/**
 * Throws the API's 400 when `schema` uses something outside the supported subset. `path` is the
 * field the message names, e.g. `output_config.format.schema`.
 */
export function checkOutputSchema(schema: unknown, path: string): void {
  walk(schema, (message) => {
    throw invalidRequest(`${path}: ${message}`);
  });
}
