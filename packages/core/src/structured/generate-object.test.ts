import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { AdjustableClock, startEmulator, type EmulatorHandle, type Scenario } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../tools/define-tool.ts';
import { sdkCaller } from '../client/sdk-caller.ts';
import type { MessagesCaller, MessagesRequest } from '../call/messages-caller.ts';
import { loadPromptFile } from '../prompts/parse-prompt-file.ts';
import { generateObject } from './generate-object.ts';
import { StructuredOutputError } from './structured-output-error.ts';

const contact = z.object({
  name: z.string().min(1),
  email: z.email().nullable(),
  age: z.number().int().min(0).max(150),
});
const ask: MessageParam[] = [
  { role: 'user', content: 'Extract the contact: Ada Lovelace, ada@example.com, 36 years old.' },
];
const valid = '{"name":"Ada Lovelace","email":"ada@example.com","age":36}';
const invalid = '{"name":"Ada Lovelace","email":"ada@example.com","age":-36}';
const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });
const answer = (input: Record<string, unknown>) => ({
  content: [{ type: 'tool_use' as const, name: 'give_answer', input }],
});

const scenarios: Scenario[] = [
  { name: 'valid', forcedOnly: true, replies: [text(valid)] },
  { name: 'repaired', forcedOnly: true, replies: [text(invalid), text(valid)] },
  {
    name: 'unrepairable',
    forcedOnly: true,
    replies: [text(invalid), text('{"name":"Ada Lovelace"}')],
  },
  {
    name: 'long',
    forcedOnly: true,
    replies: [text(`{"name":"${'Ada '.repeat(300)}","email":null,"age":36}`)],
  },
  {
    name: 'forced-tool',
    forcedOnly: true,
    replies: [answer({ name: 'Ada Lovelace', email: null, age: 36 })],
  },
  {
    name: 'with-tools-native',
    forcedOnly: true,
    replies: [
      { content: [{ type: 'tool_use', name: 'lookup_age', input: { name: 'Ada Lovelace' } }] },
      text(valid),
    ],
  },
  {
    name: 'with-tools-forced',
    forcedOnly: true,
    replies: [
      { content: [{ type: 'tool_use', name: 'lookup_age', input: { name: 'Ada Lovelace' } }] },
      answer({ name: 'Ada Lovelace', email: 'ada@example.com', age: 36 }),
    ],
  },
  { name: 'wrapped', forcedOnly: true, replies: [text('{"value":["red","green"]}')] },
];

let emulator: EmulatorHandle;
let caller: MessagesCaller;
const sent: MessagesRequest[] = [];
beforeAll(async () => {
  // Tool mode needs a model without structured outputs; the last ones (Opus 4.1, Sonnet 4)
  // retired in 2026, so the emulator's clock stands before Opus 4.1's retirement (2026-08-05).
  emulator = await startEmulator({
    scenarios,
    clock: new AdjustableClock(() => Date.parse('2026-07-01T12:00:00Z')),
  });
  const sdk = sdkCaller(
    new Anthropic({ apiKey: 'test-key', baseURL: emulator.url, maxRetries: 0 }),
  );
  // Records each request so tests can check what was sent.
  caller = {
    create: (request, options) => {
      sent.push(request);
      return sdk.create(request, options);
    },
    stream: sdk.stream,
  };
});
afterAll(() => emulator.close());

const scenario = (name: string) => ({ 'x-keel-scenario': name });

async function structuredError(run: Promise<unknown>): Promise<StructuredOutputError> {
  const error = await run.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StructuredOutputError);
  return error as StructuredOutputError;
}

describe('generateObject', () => {
  it('uses native structured outputs with the supported subset of the schema', async () => {
    sent.length = 0;
    const result = await generateObject({
      caller,
      model: 'claude-sonnet-4-6',
      schema: contact,
      messages: ask,
      headers: scenario('valid'),
    });
    expect(result).toMatchObject({
      object: { name: 'Ada Lovelace', email: 'ada@example.com', age: 36 },
      mode: 'native',
      repaired: false,
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.tools).toBeUndefined();
    const format = sent[0]!.output_config?.format;
    expect(format?.type).toBe('json_schema');
    expect(format?.schema).toMatchObject({
      additionalProperties: false,
      properties: { age: { type: 'integer' }, name: { type: 'string' } },
    });
    expect(JSON.stringify(format?.schema)).not.toMatch(/minimum|maximum|minLength/);
    expect(result.removedConstraints).toEqual(
      expect.arrayContaining(['properties.age: minimum', 'properties.age: maximum']),
    );
  });

  it('repairs output that fails the client-side checks with one cheap-model call', async () => {
    sent.length = 0;
    const result = await generateObject({
      caller,
      model: 'claude-sonnet-4-6',
      schema: contact,
      messages: ask,
      headers: scenario('repaired'),
    });
    expect(result.repaired).toBe(true);
    expect(result.object.age).toBe(36);
    expect(sent.map((request) => request.model)).toEqual(['claude-sonnet-4-6', 'claude-haiku-5-5']);
    const repairPrompt = sent[1]!.messages[0]!.content as string;
    expect(repairPrompt).toContain(invalid);
    expect(repairPrompt).toContain('- age: Too small: expected number to be >=0');
    // Usage covers both calls: the first answer and the repair.
    expect(result.usage.inputTokens).toBeGreaterThan(result.message.usage.input_tokens);
  });

  it('raises a typed error when the repair fails too', async () => {
    const error = await structuredError(
      generateObject({
        caller,
        model: 'claude-sonnet-4-6',
        schema: contact,
        messages: ask,
        headers: scenario('unrepairable'),
      }),
    );
    expect(error.code).toBe('structured_output_invalid');
    expect(error.details).toMatchObject({
      failure: 'invalid',
      repairAttempted: true,
      mode: 'native',
    });
    expect(error.details.issues).toEqual(
      expect.arrayContaining([expect.stringMatching(/^age: /), expect.stringMatching(/^email: /)]),
    );
  });

  it('never accepts JSON cut off at max_tokens', async () => {
    sent.length = 0;
    const error = await structuredError(
      generateObject({
        caller,
        model: 'claude-sonnet-4-6',
        schema: contact,
        messages: ask,
        maxTokens: 30,
        headers: scenario('long'),
      }),
    );
    expect(error.code).toBe('structured_output_truncated');
    expect(error.details).toMatchObject({ stopReason: 'max_tokens', repairAttempted: false });
    // A truncated answer is not "repaired" into something that merely looks complete.
    expect(sent).toHaveLength(1);
  });

  it('forces an answer tool on a model without structured outputs', async () => {
    sent.length = 0;
    const result = await generateObject({
      caller,
      model: 'claude-opus-4-1',
      schema: contact,
      messages: ask,
      headers: scenario('forced-tool'),
    });
    expect(result).toMatchObject({ mode: 'tool', object: { name: 'Ada Lovelace', age: 36 } });
    expect(sent[0]!.output_config).toBeUndefined();
    expect(sent[0]!.tool_choice).toEqual({ type: 'tool', name: 'give_answer' });
    // Tool schemas keep the constraints as hints for the model.
    expect(sent[0]!.tools?.[0]).toMatchObject({
      name: 'give_answer',
      input_schema: { properties: { age: { minimum: 0, maximum: 150 } } },
    });
  });

  const lookupAge = defineTool({
    name: 'lookup_age',
    description: 'Look up a person’s age by name.',
    input: z.object({ name: z.string() }),
    handler: () => ({ age: 36 }),
  });

  it('keeps the user’s tools alongside native structured outputs', async () => {
    sent.length = 0;
    const result = await generateObject({
      caller,
      model: 'claude-sonnet-4-6',
      schema: contact,
      messages: ask,
      tools: [lookupAge],
      headers: scenario('with-tools-native'),
    });
    expect(result.object.age).toBe(36);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.tools?.map((tool) => ('name' in tool ? tool.name : ''))).toEqual([
      'lookup_age',
    ]);
    expect(sent[1]!.messages.at(-1)).toMatchObject({
      role: 'user',
      content: [{ type: 'tool_result', content: '{"age":36}' }],
    });
  });

  it('adds the answer tool alongside the user’s tools in tool mode', async () => {
    sent.length = 0;
    const result = await generateObject({
      caller,
      model: 'claude-opus-4-1',
      schema: contact,
      messages: ask,
      tools: [lookupAge],
      headers: scenario('with-tools-forced'),
    });
    expect(result).toMatchObject({ mode: 'tool', object: { email: 'ada@example.com' } });
    expect(sent[0]!.tools?.map((tool) => ('name' in tool ? tool.name : ''))).toEqual([
      'lookup_age',
      'give_answer',
    ]);
    expect(sent[0]!.tool_choice).toEqual({ type: 'any' });
    expect(sent).toHaveLength(2);
  });

  it('wraps a non-object schema as { value } and unwraps the answer', async () => {
    const result = await generateObject({
      caller,
      model: 'claude-sonnet-4-6',
      schema: z.array(z.string()).min(2),
      messages: [{ role: 'user', content: 'Two colors please.' }],
      headers: scenario('wrapped'),
    });
    expect(result.object).toEqual(['red', 'green']);
  });

  it('answers a prompt file’s output_schema with the emulator’s schema-following responder', async () => {
    const prompt = loadPromptFile(
      new URL('../prompts/__fixtures__/valid/code-review.md', import.meta.url).pathname,
    );
    const rendered = prompt.render({
      diff: '+ eval(input)',
      language: 'typescript',
      strict: true,
      max_issues: 3,
    });
    sent.length = 0;
    const result = await generateObject({
      caller,
      model: rendered.model!,
      system: rendered.system,
      messages: rendered.messages,
      maxTokens: rendered.maxTokens,
      schema: prompt.outputZodSchema!,
      tags: rendered.tags,
    });
    expect(result.mode).toBe('native');
    expect(result.object).toEqual({ summary: expect.any(String), approved: expect.any(Boolean) });
    expect(sent[0]!.output_config?.format?.schema).toMatchObject({
      required: ['summary', 'approved'],
    });
  });
});
