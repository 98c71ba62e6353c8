import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JsonSchema } from './json-schema.ts';
import { exampleForPattern } from './pattern-example.ts';
import { generateSchemaValue } from './schema-values.ts';
import { readTextFacts } from './text-facts.ts';

/** Generates a value and checks it against the schema with zod's JSON Schema reader. */
function generateValid(schema: JsonSchema, text: string): unknown {
  const value = generateSchemaValue(schema, { text });
  const result = z.fromJSONSchema(schema).safeParse(value);
  if (!result.success) {
    throw new Error(
      `${JSON.stringify(value)} fails: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return value;
}

describe('readTextFacts', () => {
  it('finds ids, emails, dates, times, numbers and places', () => {
    const facts = readTextFacts(
      "Where is order ORD-1234 (ticket #98)? Mail jane.doe@example.com. I'm in New York on March 14, 2026 at 3pm with 4 guests.",
    );
    expect(facts.ids).toEqual(['ORD-1234', '98']);
    expect(facts.emails).toEqual(['jane.doe@example.com']);
    expect(facts.dates).toEqual(['2026-03-14']);
    expect(facts.times).toEqual(['15:00:00']);
    expect(facts.numbers.map((n) => n.value)).toEqual([4]);
    expect(facts.places).toEqual(['New York']);
  });

  it('does not take sentence-initial or question words as names', () => {
    const facts = readTextFacts("What's the weather like? Please tell Maria it's raining in Oslo.");
    expect(facts.properNouns).toEqual(['Oslo', 'Maria']);
    expect(facts.places).toEqual(['Oslo']);
  });
});

describe('generateSchemaValue', () => {
  it('fills an order lookup from the message', () => {
    const schema = {
      type: 'object',
      properties: {
        order_id: { type: 'string', description: 'The order identifier' },
        email: { type: 'string', format: 'email' },
        include_history: { type: 'boolean' },
      },
      required: ['order_id', 'email'],
      additionalProperties: false,
    };
    expect(generateValid(schema, 'Status of A-17 please, my email is bob@shop.example')).toEqual({
      order_id: 'A-17',
      email: 'bob@shop.example',
    });
    expect(generateValid(schema, 'Where is #1234? Include the history.')).toEqual({
      order_id: '1234',
      email: 'user@example.com',
      include_history: true,
    });
  });

  it('takes places, enums mentioned, and the number near the field name', () => {
    const schema = {
      type: 'object',
      properties: {
        location: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1, maximum: 10 },
        party_size: { type: 'integer' },
      },
      required: ['location', 'unit', 'days', 'party_size'],
    };
    expect(
      generateValid(
        schema,
        'Forecast for the next 3 days in San Francisco in fahrenheit, for 2 people in our party',
      ),
    ).toEqual({ location: 'San Francisco', unit: 'fahrenheit', days: 3, party_size: 2 });
  });

  it('clamps numbers into range and respects integer, exclusive bounds and multipleOf', () => {
    const schema = {
      type: 'object',
      properties: {
        rating: { type: 'integer', minimum: 1, maximum: 5 },
        price: { type: 'number', exclusiveMinimum: 0, multipleOf: 0.5 },
        limit: { type: 'integer', maximum: 50 },
      },
      required: ['rating', 'price', 'limit'],
    };
    expect(generateValid(schema, 'I rate it 9 out of 10, price 7.3')).toEqual({
      rating: 5,
      price: 7.5,
      limit: 10,
    });
    expect(generateValid(schema, 'nothing numeric here')).toEqual({
      rating: 1,
      price: 1,
      limit: 5,
    });
  });

  it('handles formats: date, date-time, time, uri, uuid', () => {
    const schema = {
      type: 'object',
      properties: {
        day: { type: 'string', format: 'date' },
        starts_at: { type: 'string', format: 'date-time' },
        at: { type: 'string', format: 'time' },
        link: { type: 'string', format: 'uri' },
        request_id: { type: 'string', format: 'uuid' },
      },
      required: ['day', 'starts_at', 'at', 'link', 'request_id'],
      additionalProperties: false,
    };
    const value = generateValid(
      schema,
      'Meet on 2026-05-01 at 14:30, agenda at https://example.org/agenda.',
    ) as Record<string, string>;
    expect(value.day).toBe('2026-05-01');
    expect(value.starts_at).toBe('2026-05-01T14:30:00Z');
    expect(value.at).toBe('14:30:00Z');
    expect(value.link).toBe('https://example.org/agenda');
    expect(generateValid(schema, 'no dates')).toEqual(generateValid(schema, 'no dates'));
  });

  it('resolves $ref/$defs, nested objects, arrays, anyOf, oneOf, const and nullable types', () => {
    const schema = {
      type: 'object',
      $defs: {
        address: {
          type: 'object',
          properties: { city: { type: 'string' }, country: { type: 'string', minLength: 2 } },
          required: ['city', 'country'],
          additionalProperties: false,
        },
      },
      properties: {
        kind: { const: 'shipment' },
        to: { $ref: '#/$defs/address' },
        recipients: { type: 'array', items: { type: 'string', format: 'email' }, minItems: 1 },
        priority: { anyOf: [{ type: 'null' }, { type: 'string', enum: ['low', 'high'] }] },
        weight: { oneOf: [{ type: 'number' }, { type: 'string' }] },
        note: { type: ['string', 'null'] },
      },
      required: ['kind', 'to', 'recipients', 'priority', 'weight', 'note'],
      additionalProperties: false,
    };
    const value = generateValid(
      schema,
      'Ship 2.5 kg to Lisbon, high priority, notify ana@x.io and rui@y.io.',
    ) as Record<string, unknown>;
    expect(value.kind).toBe('shipment');
    expect((value.to as { city: string }).city).toBe('Lisbon');
    expect(value.recipients).toEqual(['ana@x.io', 'rui@y.io']);
    expect(value.priority).toBe('high');
    expect(value.weight).toBe(2.5);
  });

  it('fills required arrays of objects and respects minItems, maxItems and uniqueItems', () => {
    const schema = {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          minItems: 2,
          maxItems: 3,
          uniqueItems: true,
          items: {
            type: 'object',
            properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } },
            required: ['sku', 'qty'],
          },
        },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
      },
      required: ['items', 'tags'],
    };
    const value = generateValid(schema, 'Order SKU-1 and SKU-2, 3 of each') as {
      items: unknown[];
      tags: string[];
    };
    expect(value.items).toHaveLength(2);
    expect(value.tags.length).toBeLessThanOrEqual(2);
  });

  it('satisfies simple patterns and length limits', () => {
    const schema = {
      type: 'object',
      properties: {
        code: { type: 'string', pattern: '^[A-Z]{3}-\\d{2}$' },
        short: { type: 'string', maxLength: 5 },
        long: { type: 'string', minLength: 12 },
      },
      required: ['code', 'short', 'long'],
    };
    const value = generateValid(schema, 'Use code ABC-42 for this') as Record<string, string>;
    expect(value.code).toBe('ABC-42');
    generateValid(schema, 'no code here');
  });

  it('reads constraints the SDK moved into descriptions', () => {
    const schema = {
      type: 'object',
      properties: {
        score: { type: 'integer', description: 'How good\n\n{minimum: 1, maximum: 3}' },
      },
      required: ['score'],
      additionalProperties: false,
    };
    expect(generateSchemaValue(schema, { text: 'I give it 10' })).toEqual({ score: 3 });
  });

  it('classifies sentiment when an enum offers positive and negative', () => {
    const schema = {
      type: 'object',
      properties: { sentiment: { type: 'string', enum: ['positive', 'neutral', 'negative'] } },
      required: ['sentiment'],
    };
    expect(generateValid(schema, 'The delivery was late and the box was damaged.')).toEqual({
      sentiment: 'negative',
    });
    expect(generateValid(schema, 'I love it, works great!')).toEqual({ sentiment: 'positive' });
  });

  it('survives recursive schemas', () => {
    const schema = {
      type: 'object',
      $defs: {
        node: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/$defs/node' } },
          },
          required: ['name', 'children'],
        },
      },
      properties: { root: { $ref: '#/$defs/node' } },
      required: ['root'],
    };
    const value = generateSchemaValue(schema, { text: 'a tree' }) as { root: { name: string } };
    expect(typeof value.root.name).toBe('string');
  });
});

describe('exampleForPattern', () => {
  it('builds strings that match simple patterns', () => {
    for (const pattern of [
      '^[A-Z]{2}\\d{4}$',
      '^(?:foo|bar)-[a-z]+$',
      '^\\w+@\\w+\\.com$',
      '^v\\d+(\\.\\d+)?$',
    ]) {
      const example = exampleForPattern(pattern);
      expect(example, pattern).toBeDefined();
      expect(new RegExp(pattern).test(example!), `${pattern} -> ${example}`).toBe(true);
    }
  });
});

describe('optional fields', () => {
  it('keeps an optional message the user dictates, and leaves out one the text only gestures at', () => {
    const schema = {
      type: 'object',
      properties: {
        to: { type: 'string', format: 'email' },
        message: { type: 'string' },
        pages: { type: 'string', description: 'Page range for PDF files' },
      },
      required: ['to'],
    };
    expect(
      generateSchemaValue(schema, { text: 'Email ada@example.com saying the build is green' }),
    ).toEqual({ to: 'ada@example.com', message: 'the build is green' });
  });
});
