import { fieldKind } from './field-kind.ts';
import { absolutePath } from './file-paths.ts';
import { labelledValue } from './labelled-values.ts';
import {
  isSchema,
  normalizeSchema,
  numberKeyword,
  schemaType,
  type JsonSchema,
} from './json-schema.ts';
import { dictatedText, stringCandidates, fallbackString, fitString } from './string-values.ts';
import { readTextFacts, type TextFacts } from './text-facts.ts';
import { sentimentOf } from './sentiment.ts';
import { exampleForPattern } from './pattern-example.ts';
import { contentStems, stem, words } from './words.ts';

/** Options for {@link generateSchemaValue}. */
export interface SchemaValueOptions {
  /** The text values are taken from (usually the user's words). */
  text: string;
  /** The root schema `$ref`s resolve against. Default: the schema itself. */
  root?: JsonSchema;
  /** The field name of the value, when the schema is a property (guides the guess). */
  name?: string;
  /** The directory relative file names resolve against when a field wants an absolute path. */
  workingDirectory?: string;
}

/** A generated value and whether it came from the text (false: a placeholder). */
interface Generated {
  value: unknown;
  fromText: boolean;
  /**
   * The value is only the gist of the text (its topic words), not something the text gives
   * this field. Enough for a required field; an optional one is left out, as a model leaves
   * out `pages` when reading a text file.
   */
  gist?: boolean;
}

/** Field kinds whose fallback candidate is the text's topic phrase or the text itself. */
const gistKinds = new Set(['generic', 'title', 'query', 'keywords', 'text']);

interface GenerationContext {
  facts: TextFacts;
  stems: Set<string>;
  root: JsonSchema;
  /** Facts already used by earlier fields, so two fields do not take the same number. */
  used: Set<string>;
  depth: number;
  workingDirectory: string | undefined;
}

const maxDepth = 12;

/**
 * Produces a value that satisfies a JSON Schema, filled from the text where it can: an
 * `order_id` takes `ORD-1234`, an `email` an address, a `city` a place name, a number the
 * number mentioned near the field's name, an enum the value mentioned. Required properties are
 * always present; optional ones only when the text supplies them. Deterministic.
 */
export function generateSchemaValue(schema: JsonSchema, options: SchemaValueOptions): unknown {
  const facts = readTextFacts(options.text);
  const context: GenerationContext = {
    facts,
    stems: new Set(contentStems(facts.text)),
    root: options.root ?? schema,
    used: new Set(),
    depth: 0,
    workingDirectory: options.workingDirectory,
  };
  return generate(schema, options.name ?? '', context).value;
}

function generate(raw: JsonSchema, name: string, context: GenerationContext): Generated {
  const schema = normalizeSchema(raw, context.root);
  if (context.depth > maxDepth) return { value: minimalValue(schema), fromText: false };
  if ('const' in schema) return { value: schema.const, fromText: false };
  if (Array.isArray(schema.enum) && schema.enum.length > 0)
    return enumValue(schema.enum, name, context);
  const variants = Array.isArray(schema.anyOf) ? schema.anyOf : schema.oneOf;
  if (Array.isArray(variants) && variants.length > 0)
    return variantValue(schema, variants, name, context);

  switch (schemaType(schema)) {
    case 'object':
      return objectValue(schema, name, context);
    case 'array':
      return arrayValue(schema, name, context);
    case 'integer':
      return numberValue(schema, name, context, true);
    case 'number':
      return numberValue(schema, name, context, false);
    case 'boolean':
      return booleanValue(schema, name, context);
    case 'null':
      return { value: null, fromText: false };
    default:
      return stringValue(schema, name, context);
  }
}

function nested<T>(context: GenerationContext, run: () => T): T {
  context.depth++;
  try {
    return run();
  } finally {
    context.depth--;
  }
}

function minimalValue(schema: JsonSchema): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  switch (schemaType(schema)) {
    case 'object':
      return {};
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return numberKeyword(schema, 'minimum') ?? 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return '';
  }
}

/** A free-form object the text gives by label as JSON ("Parameters: {\"a\": 1}"). */
function labelledObject(name: string, context: GenerationContext): Generated | undefined {
  const labelled = name ? labelledValue(context.facts.text, name) : undefined;
  if (!labelled?.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(labelled);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? { value, fromText: true }
      : undefined;
  } catch {
    return undefined;
  }
}

function objectValue(schema: JsonSchema, name: string, context: GenerationContext): Generated {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  if (Object.keys(properties).length === 0 && schema.additionalProperties !== false) {
    const labelled = labelledObject(name, context);
    if (labelled) return labelled;
  }
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const result: Record<string, unknown> = {};
  let fromText = false;
  nested(context, () => {
    for (const [key, propertySchema] of Object.entries(properties)) {
      if (!isSchema(propertySchema)) continue;
      const isRequired = required.has(key);
      // Optional fields cost nothing to skip; recursion into them is where cycles live.
      if (!isRequired && context.depth > 3) continue;
      const generated = generate(propertySchema, key, context);
      if (isRequired || (generated.fromText && !generated.gist)) result[key] = generated.value;
      fromText ||= generated.fromText;
    }
    // Required names without a declared property still have to be present.
    for (const key of required)
      if (!(key in result)) result[key] = fallbackString(key, context.facts);
  });
  return { value: result, fromText };
}

function arrayValue(schema: JsonSchema, name: string, context: GenerationContext): Generated {
  const itemSchema = isSchema(schema.items) ? normalizeSchema(schema.items, context.root) : {};
  const minItems = numberKeyword(schema, 'minItems') ?? 0;
  const maxItems = numberKeyword(schema, 'maxItems') ?? Number.POSITIVE_INFINITY;
  const values: unknown[] = [];
  let fromText = false;

  if (Array.isArray(schema.prefixItems)) {
    nested(context, () => {
      for (const item of schema.prefixItems as unknown[]) {
        if (isSchema(item)) values.push(generate(item, name, context).value);
      }
    });
    return { value: values, fromText: false };
  }

  const itemType = schemaType(itemSchema);
  if (Array.isArray(itemSchema.enum)) {
    const mentioned = (itemSchema.enum as unknown[]).filter((option) => mentions(context, option));
    values.push(...mentioned);
    fromText = mentioned.length > 0;
  } else if (itemType === 'string' || itemType === undefined) {
    const candidates = stringCandidates(
      fieldKind(name, itemSchema.format, itemSchema.description),
      name,
      context.facts,
    );
    const fitting = candidates.filter(
      (candidate) => fitString(itemSchema, candidate) === candidate,
    );
    values.push(...fitting);
    fromText = fitting.length > 0;
  }
  nested(context, () => {
    const target = Math.max(minItems, 1);
    while (values.length < target) {
      const generated = generate(itemSchema, singular(name), context);
      if (
        schema.uniqueItems === true &&
        values.some((v) => JSON.stringify(v) === JSON.stringify(generated.value))
      ) {
        if (values.length >= minItems) break;
        values.push(uniqueVariant(generated.value, values.length));
      } else values.push(generated.value);
      fromText ||= generated.fromText;
    }
  });
  return {
    value: values.slice(0, Math.max(minItems, Math.min(values.length, maxItems))),
    fromText,
  };
}

function singular(name: string): string {
  return name.endsWith('s') ? name.slice(0, -1) : name;
}

function uniqueVariant(value: unknown, index: number): unknown {
  if (typeof value === 'string') return `${value} ${index + 1}`;
  if (typeof value === 'number') return value + index;
  return value;
}

function numberValue(
  schema: JsonSchema,
  name: string,
  context: GenerationContext,
  integer: boolean,
): Generated {
  const nameStems = words(name).map(stem);
  let best: { value: number; score: number; key: string } | undefined;
  for (const fact of context.facts.numbers) {
    const key = `number:${fact.index}`;
    if (context.used.has(key)) continue;
    const nearby = fact.nearby.map(stem);
    let score = 0;
    nearby.forEach((word, distance) => {
      if (nameStems.includes(word)) score += 1 / (1 + distance);
    });
    if (!best || score > best.score) best = { value: fact.value, score, key };
  }
  let value: number;
  let fromText = false;
  if (best) {
    context.used.add(best.key);
    value = best.value;
    fromText = true;
  } else if (typeof schema.default === 'number') {
    value = schema.default;
  } else if (Array.isArray(schema.examples) && typeof schema.examples[0] === 'number') {
    value = schema.examples[0];
  } else {
    value = /\b(?:limit|count|max|results|top|size|page size)\b/.test(words(name).join(' '))
      ? 5
      : 1;
  }
  return { value: fitNumber(schema, value, integer), fromText };
}

/** Moves a number into the schema's range and grid. */
function fitNumber(schema: JsonSchema, input: number, integer: boolean): number {
  let value = integer ? Math.round(input) : input;
  const step = integer ? 1 : 0.01;
  const minimum = numberKeyword(schema, 'minimum');
  const maximum = numberKeyword(schema, 'maximum');
  const exclusiveMinimum = numberKeyword(schema, 'exclusiveMinimum');
  const exclusiveMaximum = numberKeyword(schema, 'exclusiveMaximum');
  if (minimum !== undefined && value < minimum) value = integer ? Math.ceil(minimum) : minimum;
  if (exclusiveMinimum !== undefined && value <= exclusiveMinimum)
    value = integer ? Math.floor(exclusiveMinimum) + 1 : exclusiveMinimum + step;
  if (maximum !== undefined && value > maximum) value = integer ? Math.floor(maximum) : maximum;
  if (exclusiveMaximum !== undefined && value >= exclusiveMaximum)
    value = integer ? Math.ceil(exclusiveMaximum) - 1 : exclusiveMaximum - step;
  const multipleOf = numberKeyword(schema, 'multipleOf');
  if (multipleOf !== undefined && multipleOf > 0) {
    value = Math.round(value / multipleOf) * multipleOf;
    if (minimum !== undefined && value < minimum) value += multipleOf;
    if (maximum !== undefined && value > maximum) value -= multipleOf;
    value = Number(value.toFixed(10));
  }
  return value;
}

function booleanValue(schema: JsonSchema, name: string, context: GenerationContext): Generated {
  const meaningful = words(name)
    .filter(
      (w) =>
        ![
          'is',
          'has',
          'include',
          'enable',
          'enabled',
          'should',
          'with',
          'use',
          'allow',
          'can',
        ].includes(w),
    )
    .map(stem);
  const text = context.facts.text.toLowerCase();
  const mentioned = meaningful.length > 0 && meaningful.every((s) => context.stems.has(s));
  if (mentioned) {
    const negated = new RegExp(
      `\\b(?:no|not|don't|do not|without|never|exclude|disable)\\b[^.?!]{0,20}${meaningful[0]}`,
    ).test(text);
    return { value: !negated, fromText: true };
  }
  return { value: typeof schema.default === 'boolean' ? schema.default : false, fromText: false };
}

function mentions(context: GenerationContext, option: unknown): boolean {
  if (typeof option !== 'string' && typeof option !== 'number') return false;
  const spoken = String(option);
  const text = context.facts.text.toLowerCase();
  if (
    new RegExp(
      `(?<![\\p{L}\\p{N}])${escapeRegExp(spoken.toLowerCase())}(?![\\p{L}\\p{N}])`,
      'u',
    ).test(text)
  )
    return true;
  const optionStems = words(spoken).map(stem);
  return optionStems.length > 0 && optionStems.every((s) => context.stems.has(s));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function enumValue(options: unknown[], name: string, context: GenerationContext): Generated {
  const text = context.facts.text.toLowerCase();
  let chosen: { option: unknown; at: number } | undefined;
  for (const option of options) {
    if (!mentions(context, option)) continue;
    const at = text.indexOf(String(option).toLowerCase());
    const position = at === -1 ? Number.MAX_SAFE_INTEGER : at;
    if (!chosen || position < chosen.at) chosen = { option, at: position };
  }
  if (chosen) return { value: chosen.option, fromText: true };
  const lowered = options.map((o) => String(o).toLowerCase());
  if (lowered.includes('positive') && lowered.includes('negative')) {
    const sentiment = sentimentOf(context.facts.text);
    const index = lowered.indexOf(sentiment);
    if (index !== -1) return { value: options[index], fromText: true };
  }
  void name;
  return { value: options[0], fromText: false };
}

function variantValue(
  schema: JsonSchema,
  variants: unknown[],
  name: string,
  context: GenerationContext,
): Generated {
  const { anyOf: _anyOf, oneOf: _oneOf, ...base } = schema;
  let first: Generated | undefined;
  for (const variant of variants) {
    if (!isSchema(variant)) continue;
    const merged = normalizeSchema({ ...base, ...variant }, context.root);
    if (schemaType(merged) === 'null' && variants.length > 1) continue;
    const used = new Set(context.used);
    const generated = nested(context, () => generate(merged, name, context));
    if (generated.fromText) return generated;
    first ??= generated;
    context.used.clear();
    for (const key of used) context.used.add(key);
  }
  if (first) return first;
  return { value: null, fromText: false };
}

/** RFC 3339 `full-time` needs an offset; times read from text have none. */
function withFormatDetails(schema: JsonSchema, value: string): string {
  return schema.format === 'time' && !/(?:Z|[+-]\d\d:\d\d)$/.test(value) ? `${value}Z` : value;
}

function stringValue(schema: JsonSchema, name: string, context: GenerationContext): Generated {
  const generated = rawStringValue(schema, name, context);
  return { ...generated, value: withFormatDetails(schema, generated.value as string) };
}

/** Path candidates made absolute when the field asks for an absolute path. */
function pathCandidates(schema: JsonSchema, name: string, context: GenerationContext): string[] {
  const paths = stringCandidates('path', name, context.facts);
  const wantsAbsolute = /\babsolute\b/i.test(`${String(schema.description ?? '')} ${name}`);
  const directory = context.workingDirectory;
  return wantsAbsolute && directory ? paths.map((path) => absolutePath(path, directory)) : paths;
}

function rawStringValue(schema: JsonSchema, name: string, context: GenerationContext): Generated {
  const kind = fieldKind(name, schema.format, schema.description);
  const labelled = labelledValue(context.facts.text, name);
  const candidates = [
    ...(labelled ? [labelled] : []),
    ...(kind === 'path'
      ? pathCandidates(schema, name, context)
      : stringCandidates(kind, name, context.facts)),
  ];
  for (const candidate of candidates) {
    const key = `string:${kind}:${candidate}`;
    if (context.used.has(key) && kind !== 'query' && kind !== 'text') continue;
    const fitted = fitString(schema, candidate);
    if (fitted === undefined) continue;
    context.used.add(key);
    const facts = context.facts;
    const specific =
      candidate === labelled ||
      !gistKinds.has(kind) ||
      facts.quoted.includes(candidate) ||
      facts.properNouns.includes(candidate) ||
      facts.ids.includes(candidate) ||
      (kind === 'text' && candidate === dictatedText(facts.text));
    return { value: fitted, fromText: true, ...(specific ? {} : { gist: true }) };
  }
  if (typeof schema.default === 'string') return { value: schema.default, fromText: false };
  if (Array.isArray(schema.examples) && typeof schema.examples[0] === 'string') {
    return { value: schema.examples[0], fromText: false };
  }
  const fallback = fallbackString(name, context.facts, kind);
  const example =
    typeof schema.pattern === 'string' ? exampleForPattern(schema.pattern) : undefined;
  const value =
    fitString(schema, fallback) ?? (example !== undefined ? fitString(schema, example) : undefined);
  return { value: value ?? fallback, fromText: false };
}
