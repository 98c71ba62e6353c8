// Type-level tests, checked by `npm run typecheck` (vitest does not run *.test-d.ts files).
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type AgentTool } from './define-tool.ts';
import type { ToolContext } from './tool-context.ts';

const input = z.object({
  orderId: z.string(),
  quantity: z.number().int().default(1),
  note: z.string().optional(),
});

describe('defineTool types', () => {
  it('types the handler input from the schema (defaults applied, optionals optional)', () => {
    defineTool({
      name: 'cancel_order',
      description: 'Cancels an order.',
      input,
      handler: (value, context) => {
        expectTypeOf(value).toEqualTypeOf<{
          orderId: string;
          quantity: number;
          note?: string | undefined;
        }>();
        expectTypeOf(context).toEqualTypeOf<ToolContext>();
        return 'cancelled';
      },
    });
  });

  it('returns a tool typed by its schema, usable where any tool is expected', () => {
    const tool = defineTool({ name: 'echo', description: 'Echoes.', input, handler: () => null });
    expectTypeOf(tool).toEqualTypeOf<AgentTool<typeof input>>();
    expectTypeOf(tool).toExtend<AgentTool>();
    expectTypeOf(tool.handler).parameter(0).toEqualTypeOf<z.output<typeof input>>();
  });

  it('refuses a handler that reads a field the schema does not have, or returns a function', () => {
    defineTool({
      name: 'bad_field',
      description: 'Reads a field that is not there.',
      input,
      // @ts-expect-error -- `customerId` is not in the schema
      handler: (value) => value.customerId,
    });
    defineTool({
      name: 'bad_schema',
      description: 'A tool input must be an object schema.',
      // @ts-expect-error -- a string schema is not a ZodObject
      input: z.string(),
      handler: () => 'x',
    });
  });
});
