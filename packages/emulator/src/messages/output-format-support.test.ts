import { describe, expect, it } from 'vitest';
import { checkOutputSchema } from './output-format-support.ts';

const closed = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
  ...extra,
});
const check = (schema: unknown) => () => checkOutputSchema(schema, 'output_config.format.schema');

describe('structured-output schema subset', () => {
  it('accepts what the docs list as supported', () => {
    expect(
      check(
        closed(
          {
            id: { type: 'string', format: 'uuid' },
            when: { type: 'string', format: 'date-time' },
            count: { type: 'integer' },
            ratio: { type: 'number', default: 0.5 },
            kind: { type: 'string', enum: ['a', 'b', null] },
            fixed: { const: 'x' },
            list: { type: 'array', items: { $ref: '#/$defs/item' }, minItems: 0 },
            either: { anyOf: [{ type: 'string' }, { type: 'null' }] },
            both: { allOf: [closed({ a: { type: 'string' } })] },
          },
          { $defs: { item: closed({ name: { type: 'string' } }) } },
        ),
      ),
    ).not.toThrow();
  });

  it('finds unsupported keywords at any depth, named with their type', () => {
    expect(
      check(closed({ nested: closed({ deep: { type: 'number', exclusiveMaximum: 3 } }) })),
    ).toThrow(
      "output_config.format.schema: For 'number' type, property 'exclusiveMaximum' is not supported",
    );
    expect(
      check(closed({ list: { type: 'array', items: { type: 'string', minLength: 1 } } })),
    ).toThrow("For 'string' type, property 'minLength' is not supported");
    expect(check(closed({ a: { anyOf: [{ type: 'object', properties: {} }] } }))).toThrow(
      "For 'object' type, 'additionalProperties' must be explicitly set to false",
    );
    expect(check(closed({}, { $defs: { x: { type: 'integer', multipleOf: 2 } } }))).toThrow(
      "For 'integer' type, property 'multipleOf' is not supported",
    );
    expect(check(closed({ a: { type: 'array', items: { type: 'string' }, maxItems: 3 } }))).toThrow(
      "For 'array' type, property 'maxItems' is not supported",
    );
    expect(check(closed({ a: { oneOf: [{ type: 'string' }] } }))).toThrow(/property 'oneOf'/);
  });

  it('refuses open objects, other minItems, unknown formats, complex enums and external refs', () => {
    expect(check({ type: 'object', properties: {}, additionalProperties: true })).toThrow(
      /'additionalProperties' must be explicitly set to false/,
    );
    expect(check(closed({ a: { type: 'array', items: { type: 'string' }, minItems: 2 } }))).toThrow(
      "For 'array' type, 'minItems' values other than 0 or 1 are not supported",
    );
    expect(check(closed({ a: { type: 'string', format: 'credit-card' } }))).toThrow(
      /format 'credit-card' is not supported/,
    );
    expect(check(closed({ a: { enum: [{ x: 1 }] } }))).toThrow(/'enum' values must be/);
    expect(check(closed({ a: { $ref: 'https://example.com/schema.json' } }))).toThrow(
      /External '\$ref'/,
    );
  });
});
