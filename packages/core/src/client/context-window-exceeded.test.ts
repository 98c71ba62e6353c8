import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { startEmulator, type EmulatorHandle, type Scenario } from '@keel/emulator';
import { defaultModelCatalog, ModelCatalog } from '@keel/models';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAgent } from '../agent/run-agent.ts';
import { streamAgent } from '../agent/stream-agent.ts';
import { generateObject } from '../structured/generate-object.ts';
import { StructuredOutputError } from '../structured/structured-output-error.ts';
import { sdkCaller } from './sdk-caller.ts';
import { createKeel } from './create-keel.ts';
import { keelCaller } from './keel-caller.ts';
import { TruncatedOutputError } from './truncated-output-error.ts';

/**
 * `model_context_window_exceeded` is a truncation, everywhere. Current models answer it (instead
 * of a 400) when input + max_tokens pass the context window and the answer fills the window; the
 * emulator does the same. To fill a window with a short prompt, each test measures its request's
 * input tokens on an emulator with the shipped catalog, then starts one whose claude-sonnet-5-5
 * has a window only a few tokens larger than that input: the answer runs into it.
 */

const model = 'claude-sonnet-5-5';
const room = 4;
const contact = z.object({ name: z.string(), email: z.string().nullable(), age: z.number() });
const extract: MessageParam[] = [
  { role: 'user', content: 'Extract the contact: Ada Lovelace, ada@example.com, 36 years old.' },
];
const story: MessageParam[] = [
  { role: 'user', content: 'Tell me a long story about a lighthouse keeper, in detail.' },
];
const scenarios: Scenario[] = [
  {
    name: 'contact',
    forcedOnly: true,
    replies: [
      { content: [{ type: 'text', text: '{"name":"Ada Lovelace","email":null,"age":36}' }] },
    ],
  },
  {
    name: 'contact-tool',
    forcedOnly: true,
    replies: [
      {
        content: [
          {
            type: 'tool_use',
            name: 'give_answer',
            input: { name: 'Ada Lovelace', email: 'ada@example.com', age: 36 },
          },
        ],
      },
    ],
  },
  {
    name: 'story',
    forcedOnly: true,
    replies: [
      {
        content: [
          {
            type: 'text',
            text: 'The keeper climbed the stairs every evening, counting each of the steps aloud.',
          },
        ],
      },
    ],
  },
];
const forced = (name: string) => ({ 'x-keel-scenario': name });

const started: EmulatorHandle[] = [];
afterAll(async () => {
  await Promise.all(started.map((emulator) => emulator.close()));
});

async function emulatorWith(catalog?: ModelCatalog): Promise<EmulatorHandle> {
  const emulator = await startEmulator({ scenarios, ...(catalog ? { catalog } : {}) });
  started.push(emulator);
  return emulator;
}

/** The shipped catalog with claude-sonnet-5-5's context window set to `window` tokens. */
function catalogWithWindow(window: number): ModelCatalog {
  const base = defaultModelCatalog();
  return new ModelCatalog({
    defaults: base.defaults,
    models: base.models.map((entry) =>
      entry.id === model ? { ...entry, contextWindow: window } : entry,
    ),
  });
}

/** Runs `probe` against the shipped catalog for its input tokens, then gives an emulator whose window they nearly fill. */
async function nearlyFullWindow(
  probe: (client: Anthropic) => Promise<number>,
): Promise<{ emulator: EmulatorHandle; catalog: ModelCatalog; requests: () => number }> {
  const measuring = await emulatorWith();
  const input = await probe(new Anthropic({ apiKey: 'k', baseURL: measuring.url, maxRetries: 0 }));
  expect(input).toBeGreaterThan(0);
  const catalog = catalogWithWindow(input + room);
  const emulator = await emulatorWith(catalog);
  let count = 0;
  const counting = async (input: string | URL | Request, init?: RequestInit) => {
    count++;
    return fetch(input, init);
  };
  sdkOf.set(
    emulator,
    new Anthropic({ apiKey: 'k', baseURL: emulator.url, maxRetries: 0, fetch: counting }),
  );
  return { emulator, catalog, requests: () => count };
}
const sdkOf = new WeakMap<EmulatorHandle, Anthropic>();

const storyRequest = { model, max_tokens: 1000, messages: story };

describe('model_context_window_exceeded', () => {
  it('is a truncation for the client: an error by default, a flagged result on request', async () => {
    const { emulator, catalog } = await nearlyFullWindow(
      async (client) =>
        (await client.messages.create(storyRequest, { headers: forced('story') })).usage
          .input_tokens,
    );
    const keel = createKeel({ anthropic: sdkOf.get(emulator)!, catalog, logger: false });
    const error = await keel
      .call(storyRequest, { headers: forced('story') })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TruncatedOutputError);
    expect((error as TruncatedOutputError).details.stopReason).toBe(
      'model_context_window_exceeded',
    );
    expect((error as TruncatedOutputError).message).toMatch(/context window filled up/);

    const result = await keel.call(storyRequest, {
      headers: forced('story'),
      onTruncation: 'return',
    });
    expect(result).toMatchObject({
      stopReason: 'model_context_window_exceeded',
      outcome: 'context_exceeded',
      truncated: true,
    });
    expect(result.usage.output).toBeLessThanOrEqual(room);

    // The same at the end of a stream.
    const stream = keel.stream(storyRequest, { headers: forced('story') });
    await expect(
      (async () => {
        for await (const _event of stream) {
          // read to the end
        }
      })(),
    ).rejects.toBeInstanceOf(TruncatedOutputError);
    await keel.close();
  });

  it('is a truncated outcome for the agent loop, never a finished answer', async () => {
    const { emulator, catalog } = await nearlyFullWindow(
      async (client) =>
        (await client.messages.create(storyRequest, { headers: forced('story') })).usage
          .input_tokens,
    );
    const options = {
      model,
      messages: story,
      principal: { userId: 'u', roles: [] },
      maxTokens: 1000,
      cache: false,
      catalog,
      headers: forced('story'),
    } as const;
    const run = await runAgent({ ...options, caller: sdkCaller(sdkOf.get(emulator)!) });
    expect(run.outcome).toBe('truncated');
    expect(run.stopReason).toBe('model_context_window_exceeded');
    const keel = createKeel({ anthropic: sdkOf.get(emulator)!, catalog, logger: false });
    const streamed = streamAgent({ ...options, caller: keelCaller(keel) });
    expect((await streamed.result).outcome).toBe('truncated');
    await keel.close();
  });

  it('is reported by structured output as truncation, never repaired into an object', async () => {
    const options = {
      model,
      schema: contact,
      messages: extract,
      mode: 'native',
      maxTokens: 1000,
      headers: forced('contact'),
    } as const;
    const { emulator, catalog, requests } = await nearlyFullWindow(
      async (client) =>
        (await generateObject({ ...options, caller: sdkCaller(client) })).usage.inputTokens,
    );
    const error = await generateObject({
      ...options,
      catalog,
      caller: sdkCaller(sdkOf.get(emulator)!),
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StructuredOutputError);
    expect((error as StructuredOutputError).code).toBe('structured_output_truncated');
    expect((error as StructuredOutputError).details).toMatchObject({
      failure: 'truncated',
      stopReason: 'model_context_window_exceeded',
      repairAttempted: false,
    });
    expect((error as StructuredOutputError).message).toMatch(/context window filled up/);
    // One call: the cut-off JSON was not handed to the repair model.
    expect(requests()).toBe(1);
  });

  it('fails a forced answer tool cut off mid-input the same way', async () => {
    const options = {
      model,
      schema: contact,
      messages: extract,
      mode: 'tool',
      maxTokens: 1000,
      headers: forced('contact-tool'),
    } as const;
    const { emulator, catalog, requests } = await nearlyFullWindow(
      async (client) =>
        (await generateObject({ ...options, caller: sdkCaller(client) })).usage.inputTokens,
    );
    const error = await generateObject({
      ...options,
      catalog,
      caller: sdkCaller(sdkOf.get(emulator)!),
    }).catch((caught: unknown) => caught);
    expect((error as StructuredOutputError).code).toBe('structured_output_truncated');
    expect((error as StructuredOutputError).details.stopReason).toBe(
      'model_context_window_exceeded',
    );
    expect(requests()).toBe(1);
  });
});
