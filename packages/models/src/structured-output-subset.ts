/**
 * The JSON Schema subset that structured outputs (`output_config.format.schema`) and strict tools
 * accept, per https://platform.claude.com/docs/en/build-with-claude/structured-outputs (JSON Schema
 * limitations). One home for both sides: Keel's client strips what is not accepted before sending,
 * and the emulator answers it with the API's 400.
 */

/** The string `format` values the API accepts. */
export const structuredOutputStringFormats: ReadonlySet<string> = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'uri',
  'ipv4',
  'ipv6',
  'uuid',
]);

/**
 * Keywords the API rejects: value constraints constrained decoding cannot enforce, and
 * conditionals. (`minItems` of 0 or 1 is accepted; `oneOf` is a rule of its own.)
 */
export const structuredOutputUnsupportedKeywords = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'maxItems',
  'uniqueItems',
  'contains',
  'minContains',
  'maxContains',
  'minProperties',
  'maxProperties',
  'patternProperties',
  'propertyNames',
  'dependentRequired',
  'dependentSchemas',
  'unevaluatedProperties',
  'unevaluatedItems',
  'if',
  'then',
  'else',
  'not',
] as const;
