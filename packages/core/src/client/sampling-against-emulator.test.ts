import { Writable } from 'node:stream';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAgent } from '../agent/run-agent.ts';
import { parsePromptFile } from '../prompts/parse-prompt-file.ts';
import { sdkCaller } from './sdk-caller.ts';
import type { KeelWarning } from '../warnings/keel-warning.ts';
import { apiVersionOf } from './api-version.ts';
import { createKeel } from './create-keel.ts';
import { keelCaller } from './keel-caller.ts';

/**
 * Keel follows the API version its SDK sends. Every request below goes over a real socket to the
 * emulator; a fetch wrapper keeps what was actually sent (version header and body) so each test
 * can say what reached the API, and the emulator's own checks (it refuses a non-default
 * temperature with thinking on, and under 2026-10-21 refuses temperature at all) answer 400 if
 * Keel sent what it must not.
 */

interface SentRequest {
  path: string;
  version: string | null;
  body: Record<string, unknown>;
}

let emulator: EmulatorHandle;
const sent: SentRequest[] = [];

const recordingFetch = async (input: string | URL | Request, init?: RequestInit) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const headers = new Headers(init?.headers);
  sent.push({
    path: new URL(url).pathname,
    version: headers.get('anthropic-version'),
    body: typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {},
  });
  return fetch(input, init);
};

function sdk(version?: string): Anthropic {
  return new Anthropic({
    apiKey: 'test-key',
    baseURL: emulator.url,
    maxRetries: 0,
    fetch: recordingFetch,
    ...(version ? { defaultHeaders: { 'anthropic-version': version } } : {}),
  });
}

const messagesSent = () => sent.filter((request) => request.path === '/v1/messages');
const principal = { userId: 'user_1', roles: ['customer'] };
const ask: MessageParam[] = [{ role: 'user', content: 'Say hello in five words.' }];
/** A model that accepts sampling parameters under 2023-06-01, and takes manual thinking. */
const accepting = 'claude-haiku-4-5';
/** A model that accepts only default sampling parameters. */
const defaultsOnly = 'claude-sonnet-5-5';

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  sent.length = 0;
});

describe('the API version Keel follows', () => {
  it('is the one the SDK really sends: its own 2026-10-21, or a default header', async () => {
    for (const pinned of [undefined, '2023-06-01']) {
      const client = sdk(pinned);
      await client.messages.create({ model: accepting, max_tokens: 16, messages: ask });
      expect(messagesSent().at(-1)!.version).toBe(pinned ?? '2026-10-21');
      expect(apiVersionOf(client)).toBe(pinned ?? '2026-10-21');
    }
  });

  it('the emulator refuses the request Keel must not send (the control for the tests below)', async () => {
    // Thinking with a non-default temperature is a 400 under every version; under 2026-10-21 the
    // field itself is. If Keel forwarded the agent's temperature, the runs below would fail so.
    await expect(
      sdk().messages.create({
        model: accepting,
        max_tokens: 2048,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: ask,
        temperature: 0.2,
      } as never),
    ).rejects.toMatchObject({ status: 400 });
    // Under 2026-10-21 the field itself is refused, in the API's words; under 2023-06-01 a
    // defaults-only model refuses a non-default value.
    await expect(
      sdk().messages.create({
        model: accepting,
        max_tokens: 16,
        messages: ask,
        temperature: 0.2,
      } as never),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('temperature: Extra inputs are not permitted'),
    });
    await expect(
      sdk('2023-06-01').messages.create({
        model: defaultsOnly,
        max_tokens: 16,
        messages: ask,
        temperature: 0.2,
      } as never),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe('an agent run with a configured temperature under 2026-10-21', () => {
  const run = (caller: Parameters<typeof runAgent>[0]['caller']) =>
    runAgent({
      caller,
      model: accepting,
      messages: ask,
      principal,
      temperature: 0.2,
      maxTokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });

  it('succeeds through sdkCaller, sends no temperature, and warns once', async () => {
    const warnings: KeelWarning[] = [];
    const caller = sdkCaller(sdk(), { onWarning: (warning) => warnings.push(warning) });
    expect(caller.apiVersion).toBe('2026-10-21');
    expect((await run(caller)).outcome).toBe('completed');
    expect((await run(caller)).outcome).toBe('completed');
    expect(messagesSent()).toHaveLength(2);
    for (const request of messagesSent()) {
      expect(request.version).toBe('2026-10-21');
      expect(request.body).not.toHaveProperty('temperature');
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      code: 'sampling_parameters_dropped',
      details: {
        model: accepting,
        apiVersion: '2026-10-21',
        dropped: [{ name: 'temperature', value: 0.2, reason: 'api_version' }],
      },
    });
    expect(warnings[0]!.message).toMatch(/temperature 0\.2 not sent to claude-haiku-4-5/);
  });

  it('succeeds through Keel’s client, sends no temperature, and warns once', async () => {
    const warnings: KeelWarning[] = [];
    const keel = createKeel({
      anthropic: sdk(),
      logger: false,
      onWarning: (warning) => warnings.push(warning),
    });
    expect(keel.apiVersion).toBe('2026-10-21');
    expect((await run(keelCaller(keel))).outcome).toBe('completed');
    const direct = await keel.call({
      model: accepting,
      max_tokens: 64,
      messages: ask,
      temperature: 0.2,
      top_k: 5,
    });
    expect(direct.outcome).toBe('complete');
    for (const request of messagesSent()) expect(request.body).not.toHaveProperty('temperature');
    expect(messagesSent().at(-1)!.body).not.toHaveProperty('top_k');
    // One warning per parameter set and model, not per call.
    expect(warnings.map((warning) => warning.details.dropped)).toEqual([
      [{ name: 'temperature', value: 0.2, reason: 'api_version' }],
      [
        { name: 'temperature', value: 0.2, reason: 'api_version' },
        { name: 'top_k', value: 5, reason: 'api_version' },
      ],
    ]);
    // Token counting never carries sampling fields (count_tokens refuses them too).
    // Token counting never carries sampling fields, nor any field count_tokens does not take.
    await keel.countTokens(
      {
        model: accepting,
        max_tokens: 64,
        messages: ask,
        system: 'Be brief.',
        temperature: 0.2,
        metadata: { user_id: 'u-1' },
        stop_sequences: ['END'],
        service_tier: 'auto',
      },
      { mode: 'api' },
    );
    const counted = sent.find((request) => request.path === '/v1/messages/count_tokens');
    expect(Object.keys(counted!.body).sort()).toEqual(['messages', 'model', 'system']);
    await keel.close();
  });
});

describe('where the warning goes by default', () => {
  it('is a warn-level keel_warning line in the client’s log', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const keel = createKeel({ anthropic: sdk(), logger: pino(stream) });
    await keel.call({ model: accepting, max_tokens: 32, messages: ask, temperature: 0.4 });
    await keel.close();
    const warnings = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.event === 'keel_warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      level: 40,
      code: 'sampling_parameters_dropped',
      model: accepting,
      apiVersion: '2026-10-21',
    });
    expect(warnings[0]!.msg).toMatch(/^Keel: temperature 0\.4 not sent to claude-haiku-4-5/);
  });
});

describe('under 2023-06-01 (pinned by a default header)', () => {
  it('sends the temperature to a model that accepts it, silently', async () => {
    const warnings: KeelWarning[] = [];
    const caller = sdkCaller(sdk('2023-06-01'), { onWarning: (warning) => warnings.push(warning) });
    const result = await runAgent({
      caller,
      model: accepting,
      messages: ask,
      principal,
      temperature: 0.2,
    });
    expect(result.outcome).toBe('completed');
    expect(messagesSent()[0]).toMatchObject({ version: '2023-06-01', body: { temperature: 0.2 } });
    expect(warnings).toEqual([]);
  });

  it('leaves it out for a defaults-only model, with a warning that names the model', async () => {
    const warnings: KeelWarning[] = [];
    const keel = createKeel({
      anthropic: sdk('2023-06-01'),
      logger: false,
      onWarning: (warning) => warnings.push(warning),
    });
    const result = await keel.call({
      model: defaultsOnly,
      max_tokens: 64,
      messages: ask,
      temperature: 0.2,
    });
    expect(result.outcome).toBe('complete');
    expect(messagesSent()[0]!.body).not.toHaveProperty('temperature');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/claude-sonnet-5-5 accepts only default sampling/);
    // A per-call header names the version of that call: 2026-10-21 drops it for every model.
    await keel.call(
      { model: accepting, max_tokens: 64, messages: ask, temperature: 0.2 },
      { headers: { 'anthropic-version': '2026-10-21' } },
    );
    expect(messagesSent()[1]).toMatchObject({ version: '2026-10-21' });
    expect(messagesSent()[1]!.body).not.toHaveProperty('temperature');
    await keel.close();
  });
});

describe('a fallback to a model with other rules', () => {
  it('decides per attempt: the fallback model gets no temperature it would refuse', async () => {
    const overloaded = await startEmulator({ faults: [{ type: 'overloaded', count: 1 }] });
    try {
      const warnings: KeelWarning[] = [];
      const keel = createKeel({
        anthropic: new Anthropic({
          apiKey: 'test-key',
          baseURL: overloaded.url,
          maxRetries: 0,
          fetch: recordingFetch,
          defaultHeaders: { 'anthropic-version': '2023-06-01' },
        }),
        logger: false,
        onWarning: (warning) => warnings.push(warning),
        resilience: { maxAttemptsPerModel: 1, fallbacks: { [accepting]: [defaultsOnly] } },
        _internal: { sleep: async () => {} },
      });
      const result = await keel.call({
        model: accepting,
        max_tokens: 64,
        messages: ask,
        temperature: 0.2,
      });
      expect(result.modelServed).toBe(defaultsOnly);
      expect(
        messagesSent().map((request) => [request.body.model, request.body.temperature]),
      ).toEqual([
        [accepting, 0.2],
        [defaultsOnly, undefined],
      ]);
      expect(warnings.map((warning) => warning.details.model)).toEqual([defaultsOnly]);
      await keel.close();
    } finally {
      await overloaded.close();
    }
  });
});

describe('a prompt file whose temperature its model will not take', () => {
  const promptText = [
    '---',
    'id: summary',
    `model: ${defaultsOnly}`,
    'max_tokens: 256',
    'temperature: 0.3',
    '---',
    '',
    'You summarise text in one sentence.',
  ].join('\n');

  it('warns at load time, and the run succeeds without sending it', async () => {
    const warnings: KeelWarning[] = [];
    const prompt = parsePromptFile({
      text: promptText,
      file: 'prompts/summary.md',
      apiVersion: '2023-06-01',
      onWarning: (warning) => warnings.push(warning),
    });
    expect(warnings).toHaveLength(1);
    expect(prompt.warnings).toEqual([
      'prompts/summary.md:5: temperature: temperature 0.3 not sent to claude-sonnet-5-5: claude-sonnet-5-5 accepts only default sampling parameters; remove it, or use a model that accepts it',
    ]);
    const rendered = prompt.render();
    const result = await runAgent({
      caller: sdkCaller(sdk('2023-06-01'), { onWarning: () => {} }),
      model: rendered.model!,
      system: rendered.system,
      messages: ask,
      principal,
      maxTokens: rendered.maxTokens,
      ...(rendered.temperature === undefined ? {} : { temperature: rendered.temperature }),
    });
    expect(result.outcome).toBe('completed');
    expect(messagesSent()[0]!.body).not.toHaveProperty('temperature');
  });
});
