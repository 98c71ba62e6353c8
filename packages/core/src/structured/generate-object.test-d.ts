// Type-level tests, checked by `npm run typecheck` (vitest does not run *.test-d.ts files).
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { MessagesCaller } from '../call/messages-caller.ts';
import { generateObject, type GenerateObjectResult } from './generate-object.ts';

declare const caller: MessagesCaller;

const contact = z.object({
  name: z.string(),
  email: z.email().optional(),
  tags: z.array(z.string()).default([]),
});

describe('generateObject types', () => {
  it('types the object from the schema (output side: defaults filled in)', () => {
    const result = generateObject({ caller, schema: contact, messages: [] });
    expectTypeOf(result).toEqualTypeOf<Promise<GenerateObjectResult<z.output<typeof contact>>>>();
    expectTypeOf<Awaited<typeof result>['object']>().toEqualTypeOf<{
      name: string;
      email?: string | undefined;
      tags: string[];
    }>();
  });

  it('types non-object schemas too (they travel wrapped, but the result is the bare value)', () => {
    const list = generateObject({ caller, schema: z.array(z.number()), messages: [] });
    expectTypeOf(list).resolves.toHaveProperty('object').toEqualTypeOf<number[]>();
    const choice = generateObject({ caller, schema: z.enum(['yes', 'no']), messages: [] });
    expectTypeOf(choice).resolves.toHaveProperty('object').toEqualTypeOf<'yes' | 'no'>();
  });

  it('refuses options that are not a schema or an unknown mode', () => {
    // @ts-expect-error -- a plain object is not a zod schema
    void generateObject({ caller, schema: { name: 'string' }, messages: [] });
    // @ts-expect-error -- modes are auto, native and tool
    void generateObject({ caller, schema: contact, messages: [], mode: 'json' });
  });
});
