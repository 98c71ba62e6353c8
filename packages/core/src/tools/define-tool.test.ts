import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from './define-tool.ts';
import { ToolDefinitionError } from './tool-definition-error.ts';

describe('defineTool', () => {
  it('turns a zod schema into a closed JSON Schema tool definition', () => {
    const tool = defineTool({
      name: 'get_order_status',
      description: 'Look up the status of one of the customer orders.',
      input: z.object({
        order_id: z
          .string()
          .regex(/^ORD-\d{8}$/)
          .describe('The order id (ORD-XXXXXXXX)'),
        include: z.object({ items: z.boolean() }).optional(),
        limit: z.number().int().min(1).max(20).default(5),
      }),
      handler: () => 'ok',
    });
    expect(tool.definition).toEqual({
      name: 'get_order_status',
      description: 'Look up the status of one of the customer orders.',
      input_schema: {
        type: 'object',
        properties: {
          order_id: {
            type: 'string',
            pattern: '^ORD-\\d{8}$',
            description: 'The order id (ORD-XXXXXXXX)',
          },
          include: {
            type: 'object',
            properties: { items: { type: 'boolean' } },
            required: ['items'],
            additionalProperties: false,
          },
          // Non-strict tools keep bounds as hints for the model; defaults make fields optional.
          limit: { type: 'integer', minimum: 1, maximum: 20, default: 5 },
        },
        required: ['order_id'],
        additionalProperties: false,
      },
    });
  });

  it('reduces a strict tool schema to the supported subset', () => {
    const tool = defineTool({
      name: 'search',
      description: 'Search the knowledge base.',
      strict: true,
      input: z.object({ query: z.string().min(3), limit: z.number().int().max(50) }),
      handler: () => [],
    });
    expect(tool.definition.strict).toBe(true);
    expect(tool.definition.input_schema).toEqual({
      type: 'object',
      properties: { query: { type: 'string' }, limit: { type: 'integer' } },
      required: ['query', 'limit'],
      additionalProperties: false,
    });
    // The removed bounds are still enforced by the zod schema.
    expect(tool.input.safeParse({ query: 'ab', limit: 5 }).success).toBe(false);
  });

  it('rejects bad names, empty descriptions and unrepresentable schemas with a typed error', () => {
    const attempt = (name: string, description: string, input: z.ZodObject, strict = false) => {
      try {
        defineTool({ name, description, input, strict, handler: () => null });
      } catch (error) {
        expect(error).toBeInstanceOf(ToolDefinitionError);
        return (error as ToolDefinitionError).details;
      }
      throw new Error('expected ToolDefinitionError');
    };
    expect(attempt('get order', 'x', z.object({})).issues).toEqual([
      'name must match ^[a-zA-Z0-9_-]{1,64}$',
    ]);
    expect(attempt('ok', '  ', z.object({})).issues).toEqual(['description must not be empty']);
    expect(attempt('dated', 'x', z.object({ at: z.date() })).issues[0]).toMatch(/JSON Schema/);
    type Node = { children: Node[] };
    const node: z.ZodType<Node> = z.lazy(() => z.object({ children: z.array(node) }));
    const tree = z.object({ root: node });
    // A recursive schema is fine for a plain tool, but strict mode cannot express it.
    expect(
      defineTool({ name: 'tree', description: 'x', input: tree, handler: () => null }).name,
    ).toBe('tree');
    expect(attempt('tree', 'x', tree, true).issues).toEqual([
      'a strict tool cannot have a recursive schema',
    ]);
  });
});
