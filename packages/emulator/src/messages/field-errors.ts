import type { z } from 'zod';

/**
 * Request validation errors in the real API's wording. The API validates bodies with pydantic and
 * answers with the first error as `<location>: <message>`, e.g.
 * `messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png',
 * 'image/gif' or 'image/webp'` (the exact text Claude Code 2.1.332 matches on real responses), or
 * `context_management: Extra inputs are not permitted`, `max_tokens: Field required`,
 * `temperature: Extra inputs are not permitted` (API version 2026-10-21, see
 * https://platform.claude.com/docs/en/api/migration-2026-10-21). A location names the tag of each
 * tagged union it passes (`image` for an image block, `base64` for its source, `enabled` in
 * `thinking.enabled.budget_tokens`), as pydantic's does; the messages are pydantic's own.
 */

type Issue = z.core.$ZodIssue;
type Segment = PropertyKey;
type SchemaNode = z.core.$ZodType;

/** The zod definition of a schema node, read loosely: only the fields the walk needs. */
interface LooseDef {
  type: string;
  innerType?: SchemaNode;
  in?: SchemaNode;
  getter?: () => SchemaNode;
  shape?: Record<string, SchemaNode>;
  catchall?: SchemaNode;
  element?: SchemaNode;
  valueType?: SchemaNode;
  options?: SchemaNode[];
  discriminator?: string;
  values?: unknown[];
  checks?: Array<{ _zod: { def: { format?: string } } }>;
}

const defOf = (node: SchemaNode): LooseDef =>
  (node as unknown as { _zod: { def: LooseDef } })._zod.def;

const wrappers = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'catch',
  'readonly',
  'nonoptional',
]);

function unwrap(node: SchemaNode): SchemaNode {
  let current = node;
  for (let guard = 0; guard < 32; guard++) {
    const def = defOf(current);
    if (wrappers.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'lazy' && def.getter) current = def.getter();
    else break;
  }
  return current;
}

/** The literal a union option requires for `key` (its tag), if it has one. */
function literalOf(option: SchemaNode, key: string): unknown {
  const def = defOf(unwrap(option));
  const field = def.shape?.[key];
  if (!field) return undefined;
  const values = defOf(unwrap(field)).values;
  return values && values.length === 1 ? values[0] : undefined;
}

/** The tag key of a union whose options are objects told apart by a literal (`type`), if any. */
function tagKeyOf(def: LooseDef): string | undefined {
  if (def.discriminator) return def.discriminator;
  const options = def.options ?? [];
  return options.length > 1 &&
    options.every((option) => typeof literalOf(option, 'type') === 'string')
    ? 'type'
    : undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value of an own key of an object or array (never an inherited one). */
function ownValue(container: unknown, key: Segment): unknown {
  if (!isRecord(container) && !Array.isArray(container)) return undefined;
  return Object.hasOwn(container, key)
    ? (container as Record<string, unknown>)[String(key)]
    : undefined;
}

/** Resolves unions at this position: the option the input takes, and the tag it went by. */
function chooseOption(node: SchemaNode, value: unknown): { node: SchemaNode; tag?: string } {
  const current = unwrap(node);
  const def = defOf(current);
  if (def.type !== 'union' || !def.options) return { node: current };
  const tagKey = tagKeyOf(def);
  if (tagKey && isRecord(value)) {
    const option = def.options.find((candidate) => literalOf(candidate, tagKey) === value[tagKey]);
    if (option) return { node: unwrap(option), tag: String(value[tagKey]) };
    return { node: current };
  }
  // An untagged union (`content`: a string or a list of blocks): the option of the input's kind.
  const kind = Array.isArray(value) ? 'array' : isRecord(value) ? 'object' : typeof value;
  const option = def.options.find((candidate) => {
    const type = defOf(unwrap(candidate)).type;
    return type === kind || (kind === 'object' && (type === 'record' || type === 'union'));
  });
  return option ? chooseOption(option, value) : { node: current };
}

/** The child schema of `node` under `key`, if the walk can tell. */
function childOf(node: SchemaNode, key: Segment): SchemaNode | undefined {
  const def = defOf(node);
  if (def.type === 'object') {
    // Own keys only: a body key such as `constructor` must not find Object.prototype's.
    const shape = def.shape ?? {};
    return Object.hasOwn(shape, key) ? shape[String(key)] : def.catchall;
  }
  if (def.type === 'array') return def.element;
  if (def.type === 'record') return def.valueType;
  return undefined;
}

/**
 * The location of an issue as the API writes it: the zod path with the tag of every tagged union
 * passed on the way inserted after the union's own position.
 */
function locate(
  path: readonly Segment[],
  input: unknown,
  schema: SchemaNode | undefined,
): string[] {
  const out: string[] = [];
  let node = schema;
  let value = input;
  for (const segment of path) {
    if (node) {
      const chosen = chooseOption(node, value);
      if (chosen.tag !== undefined) out.push(chosen.tag);
      node = childOf(chosen.node, segment);
    }
    out.push(String(segment));
    value = ownValue(value, segment);
  }
  // An issue about the object at a tagged position (a missing field of a block) names its tag too.
  if (node && isRecord(value)) {
    const chosen = chooseOption(node, value);
    if (chosen.tag !== undefined) out.push(chosen.tag);
  }
  return out;
}

/** The schema node the input at `path` is validated by, unions resolved by the input. */
function schemaAt(
  path: readonly Segment[],
  input: unknown,
  schema: SchemaNode | undefined,
): SchemaNode | undefined {
  let node = schema;
  let value = input;
  for (const segment of path) {
    if (!node) return undefined;
    node = childOf(chooseOption(node, value).node, segment);
    value = ownValue(value, segment);
  }
  return node ? chooseOption(node, value).node : undefined;
}

/** Whether a number schema only takes integers (`z.number().int()`). */
function isIntegerSchema(node: SchemaNode | undefined): boolean {
  if (!node) return false;
  return (defOf(unwrap(node)).checks ?? []).some((check) =>
    /int/.test(check._zod.def.format ?? ''),
  );
}

function valueAt(input: unknown, path: readonly Segment[]): unknown {
  let value = input;
  for (const segment of path) value = ownValue(value, segment);
  return value;
}

/** A value as pydantic quotes it in messages: strings in single quotes. */
function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** pydantic's "a, b or c". */
function alternatives(values: readonly unknown[]): string {
  const quoted = values.map(quote);
  return quoted.length <= 1
    ? (quoted[0] ?? '')
    : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

function typeMessage(expected: string, value: unknown): string {
  switch (expected) {
    case 'string':
      return 'Input should be a valid string';
    case 'int':
      return typeof value === 'number' && Number.isFinite(value)
        ? 'Input should be a valid integer, got a number with a fractional part'
        : 'Input should be a valid integer';
    case 'number':
      return 'Input should be a valid number';
    case 'boolean':
      return 'Input should be a valid boolean';
    case 'array':
      return 'Input should be a valid list';
    case 'record':
      return 'Input should be a valid dictionary';
    case 'object':
      return 'Input should be a valid dictionary or object to extract fields from';
    default:
      return `Input should be a valid ${expected}`;
  }
}

function sizeMessage(
  issue: Extract<Issue, { code: 'too_small' | 'too_big' }>,
  value: unknown,
): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'array' || issue.origin === 'set') {
    const length = Array.isArray(value) ? value.length : 0;
    return `List should have ${small ? 'at least' : 'at most'} ${plural(limit, 'item')} after validation, not ${length}`;
  }
  if (issue.origin === 'string') {
    return `String should have ${small ? 'at least' : 'at most'} ${plural(limit, 'character')}`;
  }
  const relation = small ? 'greater than' : 'less than';
  return `Input should be ${relation}${issue.inclusive ? ' or equal to' : ''} ${limit}`;
}

/** The branch of a failed union that got furthest into the input: its first issue. */
function deepestBranch(issue: Extract<Issue, { code: 'invalid_union' }>): Issue | undefined {
  let best: Issue | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first) continue;
    const depth = first.path.length + (first.code === 'invalid_type' ? 0 : 0.5);
    const bestDepth = best ? best.path.length + (best.code === 'invalid_type' ? 0 : 0.5) : -1;
    if (depth >= bestDepth) best = first;
  }
  return best;
}

/** One issue as `<location>: <message>`, its path relative to `base`. */
function describeIssue(
  issue: Issue,
  base: readonly Segment[],
  input: unknown,
  schema: SchemaNode | undefined,
): string {
  let path = [...base, ...issue.path];
  let message: string;
  switch (issue.code) {
    case 'invalid_type': {
      const value = valueAt(input, path);
      // Without the input, zod's own message says whether the field was there at all.
      const missing =
        input === undefined ? issue.message.endsWith('received undefined') : value === undefined;
      // zod expects `number` of `z.number().int()` given a string; pydantic says integer.
      const expected =
        issue.expected === 'number' && isIntegerSchema(schemaAt(path, input, schema))
          ? 'int'
          : issue.expected;
      message = missing ? 'Field required' : typeMessage(expected, value);
      break;
    }
    case 'unrecognized_keys':
      path = [...path, issue.keys[0] ?? ''];
      message = 'Extra inputs are not permitted';
      break;
    case 'invalid_value':
      message = `Input should be ${alternatives(issue.values)}`;
      break;
    case 'too_small':
    case 'too_big':
      message = sizeMessage(issue, valueAt(input, path));
      break;
    case 'invalid_format':
      message =
        issue.format === 'regex' && 'pattern' in issue
          ? `String should match pattern '${String(issue.pattern).replace(/^\/(.*)\/[a-z]*$/, '$1')}'`
          : `Input should be a valid ${issue.format}`;
      break;
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        // zod points at the tag field; pydantic at the union, naming the tag it found.
        if (path.at(-1) === issue.discriminator) path = path.slice(0, -1);
        const tag = valueAt(input, [...path, issue.discriminator]);
        const expected = ((issue as { options?: unknown[] }).options ?? []).map(quote).join(', ');
        message =
          tag === undefined
            ? `Unable to extract tag using discriminator '${issue.discriminator}'`
            : `Input tag ${quote(typeof tag === 'string' ? tag : JSON.stringify(tag))} found using '${issue.discriminator}' does not match any of the expected tags: ${expected}`;
        break;
      }
      const branch = deepestBranch(issue);
      if (branch) return describeIssue(branch, path, input, schema);
      message = issue.message;
      break;
    }
    default:
      message = issue.message;
  }
  const location = locate(path, input, schema).join('.');
  return location ? `${location}: ${message}` : message;
}

/**
 * The API's error message for a body that failed `schema`: its first issue, in pydantic's wording,
 * at the API's location. Without `schema` the location is zod's path (no union tags).
 */
export function describeFieldErrors(
  error: z.ZodError,
  input?: unknown,
  schema?: z.ZodType,
): string {
  const first = error.issues[0];
  if (!first) return 'Invalid request body';
  return describeIssue(first, [], input, schema);
}
