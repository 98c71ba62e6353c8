import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toSupportedSchema } from './supported-schema.ts';

describe('toSupportedSchema', () => {
  it('removes what structured outputs reject and reports where', () => {
    const schema = z.object({
      name: z.string().min(1).max(80),
      email: z.email(),
      age: z.number().int().min(0).max(150),
      tags: z.array(z.string()).min(2).max(5),
      one: z.array(z.string()).min(1),
      code: z.string().regex(/^(?!tmp)[a-z]+$/),
      plain: z.string().regex(/^[a-z]+$/),
      kind: z.union([z.literal('a'), z.literal('b')]),
      extra: z.record(z.string(), z.number()),
    });
    const { schema: out, removed, recursive } = toSupportedSchema(z.toJSONSchema(schema));
    expect(recursive).toBe(false);
    expect(out.$schema).toBeUndefined();
    expect(out.additionalProperties).toBe(false);
    const properties = out.properties as Record<string, Record<string, unknown>>;
    expect(properties.name).toEqual({ type: 'string' });
    expect(properties.email).toEqual({ type: 'string', format: 'email' });
    expect(properties.age).toEqual({ type: 'integer' });
    expect(properties.tags).toEqual({ type: 'array', items: { type: 'string' } });
    expect(properties.one).toEqual({ type: 'array', items: { type: 'string' }, minItems: 1 });
    expect(properties.code).toEqual({ type: 'string' });
    expect(properties.plain).toEqual({ type: 'string', pattern: '^[a-z]+$' });
    expect(properties.extra).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {},
    });
    expect(removed).toEqual(
      expect.arrayContaining([
        'properties.name: minLength',
        'properties.name: maxLength',
        'properties.email: pattern',
        'properties.age: minimum',
        'properties.age: maximum',
        'properties.tags: minItems',
        'properties.tags: maxItems',
        'properties.code: pattern',
        'properties.extra: additionalProperties',
      ]),
    );
  });

  it('turns oneOf into anyOf and detects recursion', () => {
    expect(toSupportedSchema({ oneOf: [{ type: 'string' }, { type: 'number' }] }).schema).toEqual({
      anyOf: [{ type: 'string' }, { type: 'number' }],
    });
    type Node = { children: Node[] };
    const node: z.ZodType<Node> = z.lazy(() => z.object({ children: z.array(node) }));
    const json = z.toJSONSchema(z.object({ root: node })) as Record<string, unknown>;
    expect(toSupportedSchema(json).recursive).toBe(true);
  });
});
