import { existsSync, readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startEmulator, type EmulatorHandle } from '../index.ts';
import { testImages } from './test-images.ts';

/** The shipped reference cases, validated: a published count needs its source and its family. */
const referenceCasesSchema = z.strictObject({
  note: z.string(),
  cases: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        publishedInputTokens: z.number().int().positive(),
        /** A public URL, or a real capture kept in this package. */
        source: z.union([z.url(), z.string().startsWith('src/conformance/__fixtures__/wire/')]),
        sourceNote: z.string().min(1),
        tokenizer: z.enum(['claude-3', 'claude-4-7']),
        model: z.string().startsWith('claude-'),
        request: z.looseObject({ messages: z.array(z.unknown()).min(1) }).optional(),
        requestFile: z.string().startsWith('src/').optional(),
      }),
    )
    .refine(
      (cases) => cases.every((c) => (c.request === undefined) !== (c.requestFile === undefined)),
      {
        error: 'each case gives exactly one of request and requestFile',
      },
    )
    .min(7),
});

const packageRoot = new URL('../../', import.meta.url);

const referenceCases = referenceCasesSchema.parse(
  JSON.parse(readFileSync(new URL('data/token-reference-cases.json', packageRoot), 'utf8')),
).cases;

/** Replaces `{"syntheticPng": {width, height}}` placeholders with a real PNG of that size. */
function materialize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(materialize);
  if (value && typeof value === 'object') {
    const png = (value as { syntheticPng?: { width: number; height: number } }).syntheticPng;
    if (png) return testImages.png(png.width, png.height);
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, materialize(inner)]),
    );
  }
  return value;
}

let emulator: EmulatorHandle;
let client: Anthropic;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new Anthropic({ apiKey: 'reference-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

describe('published token counts', () => {
  it.each(referenceCases.map((c) => [c.name, c] as const))(
    '%s lands within 10% of the published count',
    async (_name, reference) => {
      if (!reference.source.startsWith('http'))
        expect(existsSync(new URL(reference.source, packageRoot)), reference.source).toBe(true);
      const catalogEntry = emulator.state.catalog.find(reference.model);
      expect(catalogEntry?.tokenizer, 'the case names its model family').toBe(reference.tokenizer);
      const { max_tokens: _none, ...request } = (reference.request ??
        JSON.parse(readFileSync(new URL(reference.requestFile!, packageRoot), 'utf8'))) as Record<
        string,
        unknown
      >;
      const counted = await client.messages.countTokens({
        ...(materialize(request) as Omit<Anthropic.MessageCountTokensParams, 'model'>),
        model: reference.model,
      });
      const error = Math.abs(counted.input_tokens - reference.publishedInputTokens);
      expect(error / reference.publishedInputTokens).toBeLessThanOrEqual(0.1);
    },
  );
});
