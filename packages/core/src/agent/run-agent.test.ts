import Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { startEmulator, type EmulatorHandle, type Scenario } from '@keel/emulator';
import { ValidationError } from '@keel/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../tools/define-tool.ts';
import { sdkCaller } from '../client/sdk-caller.ts';
import type { MessagesCaller, MessagesRequest } from '../call/messages-caller.ts';
import { ThinkingConfigError } from '../thinking/thinking-config-error.ts';
import { runAgent } from './run-agent.ts';
import { allOf, costExceeds, stepCountIs, toolCalled } from './stop-condition.ts';

const principal = { userId: 'user_1', roles: ['customer'] };
const model = 'claude-sonnet-4-6';
const ask: MessageParam[] = [{ role: 'user', content: 'Please look up the weather in Paris.' }];

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });
const call = (name: string, input: Record<string, unknown>) => ({
  content: [{ type: 'tool_use' as const, name, input }],
});

const scenarios: Scenario[] = [
  {
    name: 'throws',
    forcedOnly: true,
    replies: [call('weather', { city: 'Paris' }), text('Sorry, weather is down.')],
  },
  {
    name: 'hallucinated',
    forcedOnly: true,
    replies: [call('delete_everything', {}), text('I cannot do that.')],
  },
  {
    name: 'invalid',
    forcedOnly: true,
    replies: [call('weather', { city: 42 }), call('weather', { city: 'Paris' }), text('Sunny.')],
  },
  { name: 'forever', forcedOnly: true, replies: [call('weather', { city: 'Paris' })] },
  {
    name: 'parallel',
    forcedOnly: true,
    replies: [
      {
        content: [
          { type: 'tool_use', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', name: 'weather', input: { city: 'Tokyo' } },
        ],
      },
      text('Both sunny.'),
    ],
  },
  {
    name: 'slow',
    forcedOnly: true,
    replies: [call('slow', {}), text('Gave up on the slow tool.')],
  },
  { name: 'abort', forcedOnly: true, replies: [call('stop_button', {}), text('never reached')] },
  {
    name: 'thinking',
    forcedOnly: true,
    replies: [
      {
        content: [
          { type: 'thinking', thinking: 'The user wants weather; I should call the tool.' },
          { type: 'tool_use', name: 'weather', input: { city: 'Paris' } },
        ],
      },
      text('It is sunny in Paris.'),
    ],
  },
  {
    name: 'pause',
    forcedOnly: true,
    replies: [
      { content: [{ type: 'text', text: 'Searching…' }], stop_reason: 'pause_turn' },
      text('Found it.'),
    ],
  },
  { name: 'long', forcedOnly: true, replies: [text('word '.repeat(200))] },
  {
    name: 'long-call',
    forcedOnly: true,
    replies: [call('weather', { city: 'Paris '.repeat(200) }), text('It is sunny.')],
  },
];

let emulator: EmulatorHandle;
let caller: MessagesCaller;
beforeAll(async () => {
  emulator = await startEmulator({ scenarios });
  caller = sdkCaller(new Anthropic({ apiKey: 'test-key', baseURL: emulator.url, maxRetries: 0 }));
});
afterAll(() => emulator.close());

const scenario = (name: string) => ({ 'x-keel-scenario': name });

const weather = defineTool({
  name: 'weather',
  description: 'Current weather for a city.',
  input: z.object({ city: z.string() }),
  handler: ({ city }) => ({ city, conditions: 'sunny' }),
});

describe('runAgent against the emulator', () => {
  it('turns a thrown error into an is_error result the model recovers from', async () => {
    const failing = defineTool({
      name: 'weather',
      description: 'Current weather for a city.',
      input: z.object({ city: z.string() }),
      handler: () => {
        throw new Error('upstream weather service returned 503');
      },
    });
    const result = await runAgent({
      caller,
      model,
      messages: ask,
      tools: [failing],
      principal,
      headers: scenario('throws'),
    });
    expect(result.outcome).toBe('completed');
    expect(result.iterations).toBe(2);
    expect(result.toolCalls.map((c) => c.status)).toEqual(['error']);
    expect(result.newMessages[1]).toEqual({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: result.toolCalls[0]!.toolUseId,
          content: 'Tool "weather" failed: upstream weather service returned 503',
          is_error: true,
        },
      ],
    });
    expect(result.text).toBe('Sorry, weather is down.');
  });

  it('answers a hallucinated tool name with the list of real tools', async () => {
    const result = await runAgent({
      caller,
      model,
      messages: ask,
      tools: [weather],
      principal,
      headers: scenario('hallucinated'),
    });
    expect(result.outcome).toBe('completed');
    expect(result.toolCalls[0]).toMatchObject({
      name: 'delete_everything',
      status: 'unknown_tool',
    });
    expect(result.toolCalls[0]!.result).toMatchObject({
      is_error: true,
      content: 'There is no tool named "delete_everything". Available tools: weather.',
    });
  });

  it('rejects invalid input without running the handler, and the model retries', async () => {
    const seen: string[] = [];
    const recording = defineTool({
      name: 'weather',
      description: 'Current weather for a city.',
      input: z.object({ city: z.string() }),
      handler: ({ city }) => {
        seen.push(city);
        return 'sunny';
      },
    });
    const result = await runAgent({
      caller,
      model,
      messages: ask,
      tools: [recording],
      principal,
      headers: scenario('invalid'),
    });
    expect(result.toolCalls.map((c) => c.status)).toEqual(['invalid_input', 'ok']);
    expect(result.toolCalls[0]!.result.content).toContain(
      '- city: Invalid input: expected string, received number',
    );
    expect(seen).toEqual(['Paris']);
    expect(result.outcome).toBe('completed');
  });

  it('stops at the iteration cap with a typed outcome and a transcript that can resume', async () => {
    const result = await runAgent({
      caller,
      model,
      messages: ask,
      tools: [weather],
      principal,
      maxIterations: 3,
      headers: scenario('forever'),
    });
    expect(result.outcome).toBe('max_iterations');
    expect(result.iterations).toBe(3);
    expect(result.toolCalls.map((c) => c.status)).toEqual(['ok', 'ok', 'skipped']);
    const last = result.messages.at(-1)!;
    expect(last.role).toBe('user');
    expect(last.content).toEqual([
      expect.objectContaining({
        is_error: true,
        content: 'Not run: the agent reached its limit of 3 model calls.',
      }),
    ]);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.costUsd).toBeGreaterThan(0);
    expect(result.costComplete).toBe(true);
  });

  it('stops at the cost cap before the next model call', async () => {
    const result = await runAgent({
      caller,
      model,
      messages: ask,
      tools: [weather],
      principal,
      maxCostUsd: 1.5,
      costOf: () => 1_000_000_000_000n,
      headers: scenario('forever'),
    });
    expect(result.outcome).toBe('max_cost');
    expect(result.iterations).toBe(2);
    expect(result.costPicoUsd).toBe(2_000_000_000_000n);
    expect(result.costUsdText).toBe('2');
    expect(result.costUsd).toBe(2);
    expect(result.toolCalls.at(-1)?.result.content).toBe(
      'Not run: the agent reached its cost limit of $1.5.',
    );
  });

  it('compares the cost cap exactly: eight calls at $0.10 reach $0.80', async () => {
    // As floats, 0.1 added eight times is 0.7999999999999999 and a ninth call would be made.
    const result = await runAgent({
      caller,
      model,
      messages: ask,
      tools: [weather],
      principal,
      maxIterations: 20,
      maxCostUsd: 0.8,
      costOf: () => 100_000_000_000n,
      headers: scenario('forever'),
    });
    expect(result.outcome).toBe('max_cost');
    expect(result.iterations).toBe(8);
    expect(result.costUsdText).toBe('0.8');
  });

  it("ends at the caller's stop conditions, checked before the step's tools run", async () => {
    const ran: string[] = [];
    const counted = defineTool({
      name: 'weather',
      description: 'Current weather for a city.',
      input: z.object({ city: z.string() }),
      handler: ({ city }) => {
        ran.push(city);
        return 'sunny';
      },
    });
    const result = await runAgent({
      caller,
      model,
      messages: ask,
      tools: [counted],
      principal,
      stopWhen: [stepCountIs(4), costExceeds('1000')],
      headers: scenario('forever'),
    });
    expect(result.outcome).toBe('max_iterations');
    expect(result.iterations).toBe(4);
    expect(ran).toHaveLength(3);
    // The default cap of 10 still applies when the caller's conditions never fire.
    const capped = await runAgent({
      caller,
      model,
      messages: ask,
      tools: [counted],
      principal,
      stopWhen: allOf(stepCountIs(2), costExceeds(1000)),
      headers: scenario('forever'),
    });
    expect(capped.outcome).toBe('max_iterations');
    expect(capped.iterations).toBe(10);
  });

  it('ends as completed when toolCalled fires, leaving that call unrun', async () => {
    const result = await runAgent({
      caller,
      model,
      messages: ask,
      tools: [weather],
      principal,
      stopWhen: toolCalled('weather'),
      headers: scenario('forever'),
    });
    expect(result.outcome).toBe('completed');
    expect(result.iterations).toBe(1);
    expect(result.toolCalls).toEqual([]);
    expect(result.newMessages).toHaveLength(1);
  });

  it('rejects a request field that has an option of its own instead of overwriting it', async () => {
    const error = await runAgent({
      caller,
      model,
      messages: ask,
      principal,
      maxTokens: 1024,
      // Before, max_tokens here was silently replaced by maxTokens (or its default, 4096).
      request: { max_tokens: 8000, metadata: { user_id: 'u' } } as never,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details.issues).toEqual([
      'request.max_tokens: set the maxTokens option instead',
    ]);
  });

  it("asks the caller's routing table for the model of a task", async () => {
    const seen: string[] = [];
    const routed: MessagesCaller = {
      route: (task) => (task === 'classification' ? 'claude-haiku-4-5' : 'claude-sonnet-4-6'),
      create: (request, options) => {
        seen.push(request.model);
        return caller.create(request, options);
      },
      stream: () => {
        throw new Error('not used');
      },
    };
    await runAgent({ caller: routed, task: 'classification', messages: ask, principal });
    await runAgent({ caller: routed, messages: ask, principal });
    await runAgent({ caller: routed, task: 'classification', model, messages: ask, principal });
    expect(seen).toEqual(['claude-haiku-4-5', 'claude-sonnet-4-6', model]);
  });

  it('runs parallel tool calls concurrently', async () => {
    // Each call waits until both have started: run one after the other, they would time out.
    let started = 0;
    let release!: () => void;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    const rendezvous = defineTool({
      name: 'weather',
      description: 'Current weather for a city.',
      input: z.object({ city: z.string() }),
      handler: async ({ city }) => {
        started += 1;
        if (started === 2) release();
        await bothStarted;
        return `${city}: sunny`;
      },
    });
    const result = await runAgent({
      caller,
      model,
      messages: ask,
      tools: [rendezvous],
      principal,
      toolTimeoutMs: 5_000,
      headers: scenario('parallel'),
    });
    expect(result.toolCalls.map((c) => [c.status, c.result.content])).toEqual([
      ['ok', 'Paris: sunny'],
      ['ok', 'Tokyo: sunny'],
    ]);
    // Both results go back in one user turn, in the order the model asked.
    expect((result.newMessages[1]!.content as unknown[]).length).toBe(2);
  });

  it('aborts a tool that exceeds its timeout and tells the model', async () => {
    let handlerSignal: AbortSignal | undefined;
    const slow = defineTool({
      name: 'slow',
      description: 'Never finishes.',
      input: z.object({}),
      handler: (_input, { signal }) => {
        handlerSignal = signal;
        return new Promise(() => {});
      },
    });
    const result = await runAgent({
      caller,
      model,
      messages: ask,
      tools: [slow],
      principal,
      toolTimeoutMs: 20,
      headers: scenario('slow'),
    });
    expect(result.toolCalls[0]).toMatchObject({ status: 'timeout' });
    expect(result.toolCalls[0]!.result.content).toBe('Tool "slow" did not finish within 20 ms.');
    expect(handlerSignal?.aborted).toBe(true);
    expect(result.outcome).toBe('completed');
  });

  it('returns an aborted outcome when the run is aborted', async () => {
    const controller = new AbortController();
    const stopButton = defineTool({
      name: 'stop_button',
      description: 'The user presses stop while this runs.',
      input: z.object({}),
      handler: (_input, { signal }) => {
        controller.abort();
        return new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('stopped'))),
        );
      },
    });
    const result = await runAgent({
      caller,
      model,
      messages: ask,
      tools: [stopButton],
      principal,
      signal: controller.signal,
      headers: scenario('abort'),
    });
    expect(result.outcome).toBe('aborted');
    expect(result.iterations).toBe(1);
    expect(result.toolCalls[0]!.status).toBe('aborted');
    const before = await runAgent({
      caller,
      model,
      messages: ask,
      principal,
      signal: AbortSignal.abort(),
    });
    expect(before).toMatchObject({ outcome: 'aborted', iterations: 0, finalMessage: undefined });
  });

  it('passes thinking blocks back unchanged, signature included', async () => {
    const result = await runAgent({
      caller,
      model,
      messages: ask,
      tools: [weather],
      principal,
      maxTokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      headers: scenario('thinking'),
    });
    // The emulator rejects a thinking block whose signature does not match its text.
    expect(result.outcome).toBe('completed');
    const firstReply = result.newMessages[0]!.content as Array<{
      type: string;
      signature?: string;
    }>;
    expect(firstReply[0]).toMatchObject({
      type: 'thinking',
      thinking: 'The user wants weather; I should call the tool.',
      signature: expect.any(String),
    });
    expect(result.text).toBe('It is sunny in Paris.');
    // The check that makes this test meaningful: an edited thinking block is refused.
    const tampered = structuredClone(result.messages.slice(0, 3));
    (tampered[1]!.content as Array<{ thinking?: string }>)[0]!.thinking = 'Edited thinking.';
    await expect(
      caller.create({
        model,
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        tools: [weather.definition],
        messages: tampered,
      }),
    ).rejects.toThrow(/signature/);
  });

  it('continues a paused turn', async () => {
    const result = await runAgent({
      caller,
      // The scripted pause is plain text, sent back as a trailing assistant turn: only a model
      // that accepts a prefill takes it (4.6 and later refuse one; a real pause_turn carries
      // server-tool blocks, which the emulator does not run).
      model: 'claude-haiku-4-5',
      messages: ask,
      principal,
      headers: scenario('pause'),
    });
    expect(result.outcome).toBe('completed');
    expect(result.iterations).toBe(2);
    expect(result.newMessages.map((m) => m.role)).toEqual(['assistant', 'assistant']);
    expect(result.text).toBe('Found it.');
  });

  it('reports a truncated answer', async () => {
    const result = await runAgent({
      caller,
      model,
      messages: ask,
      principal,
      maxTokens: 20,
      headers: scenario('long'),
    });
    expect(result.outcome).toBe('truncated');
    expect(result.stopReason).toBe('max_tokens');
  });

  it('answers a tool call cut off by max_tokens without running it, so the transcript resumes', async () => {
    let ran = 0;
    const counted = defineTool({
      name: 'weather',
      description: 'Current weather for a city.',
      input: z.object({ city: z.string() }),
      handler: ({ city }) => {
        ran += 1;
        return { city, conditions: 'sunny' };
      },
    });
    const result = await runAgent({
      caller,
      model,
      messages: ask,
      tools: [counted],
      principal,
      maxTokens: 30,
      headers: scenario('long-call'),
    });
    expect(result.outcome).toBe('truncated');
    expect(ran).toBe(0);
    expect(result.toolCalls.map((record) => record.status)).toEqual(['skipped']);
    expect(result.newMessages.map((message) => message.role)).toEqual(['assistant', 'user']);
    expect(result.messages.at(-1)!.content).toEqual([
      expect.objectContaining({
        is_error: true,
        content: 'Not run: the answer was cut off (max_tokens) inside this call.',
      }),
    ]);
    // The API accepts the transcript as history: a later question is answered, not refused.
    const next = await runAgent({
      caller,
      model,
      messages: [...result.messages, { role: 'user', content: 'Never mind. Thanks!' }],
      principal,
    });
    expect(next.outcome).toBe('completed');
  });
});

describe('runAgent with an in-process caller', () => {
  it('passes redacted_thinking blocks back by value, untouched', async () => {
    const requests: MessageParam[][] = [];
    const reply = (content: Message['content'], stop: Message['stop_reason']): Message =>
      ({
        id: `msg_${requests.length}`,
        type: 'message',
        role: 'assistant',
        model,
        content,
        stop_reason: stop,
        stop_sequence: null,
        stop_details: null,
        container: null,
        usage: {
          input_tokens: 1,
          output_tokens: 1,
          cache_creation_input_tokens: null,
          cache_read_input_tokens: null,
          cache_creation: null,
          server_tool_use: null,
          service_tier: 'standard',
          inference_geo: null,
        },
      }) as Message;
    const fake: MessagesCaller = {
      async create(request) {
        requests.push(structuredClone(request.messages));
        return requests.length === 1
          ? reply(
              [
                { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4a' },
                {
                  type: 'tool_use',
                  id: 'toolu_1',
                  name: 'weather',
                  input: { city: 'Oslo' },
                  caller: { type: 'direct' },
                },
              ] as Message['content'],
              'tool_use',
            )
          : reply([{ type: 'text', text: 'Cold.', citations: null }], 'end_turn');
      },
      stream() {
        throw new Error('not used');
      },
    };
    const result = await runAgent({
      caller: fake,
      model,
      messages: ask,
      tools: [weather],
      principal,
    });
    expect(result.outcome).toBe('completed');
    expect(requests[1]![1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4a' },
        {
          type: 'tool_use',
          id: 'toolu_1',
          name: 'weather',
          input: { city: 'Oslo' },
          caller: { type: 'direct' },
        },
      ],
    });
    // An unpriced model leaves the cost incomplete rather than pretending it was free.
    const unpriced = await runAgent({
      caller: fake,
      model,
      messages: ask,
      principal,
      costOf: () => undefined,
    });
    expect(unpriced.costComplete).toBe(false);
  });

  it('hands tags to the caller, checks thinking first, and drops strict where unsupported', async () => {
    const seen: Array<{ request: MessagesRequest; tags: unknown }> = [];
    const done: Message = {
      id: 'msg_x',
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: 'ok', citations: null }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 1, output_tokens: 1 },
    } as Message;
    const recorder: MessagesCaller = {
      async create(request, options) {
        seen.push({ request, tags: options?.tags });
        return done;
      },
      stream() {
        throw new Error('not used');
      },
    };
    const strictTool = defineTool({
      name: 'lookup',
      description: 'Look something up.',
      strict: true,
      input: z.object({ key: z.string() }),
      handler: () => 'value',
    });
    const tags = { promptId: 'support', promptVersion: 'abc123def456' };
    await runAgent({
      caller: recorder,
      model: 'claude-opus-4-1',
      messages: ask,
      tools: [strictTool],
      principal,
      tags,
    });
    await runAgent({
      caller: recorder,
      model: 'claude-sonnet-4-6',
      messages: ask,
      tools: [strictTool],
      principal,
    });
    expect(seen[0]!.tags).toEqual(tags);
    expect(seen[0]!.request.tools?.[0]).not.toHaveProperty('strict');
    expect(seen[1]!.request.tools?.[0]).toMatchObject({ strict: true });

    await expect(
      runAgent({
        caller: recorder,
        model,
        messages: ask,
        principal,
        maxTokens: 1000,
        thinking: { type: 'enabled', budget_tokens: 2000 },
        toolChoice: { type: 'any' },
      }),
    ).rejects.toBeInstanceOf(ThinkingConfigError);
    expect(seen).toHaveLength(2);

    // effort joins the request's own output_config; the same setting given twice is an error.
    const format = { type: 'json_schema' as const, schema: { type: 'object' } };
    await runAgent({
      caller: recorder,
      model,
      messages: ask,
      principal,
      effort: 'low',
      request: { output_config: { format } },
    });
    expect(seen[2]!.request.output_config).toEqual({ format, effort: 'low' });
    await expect(
      runAgent({
        caller: recorder,
        model,
        messages: ask,
        principal,
        effort: 'low',
        request: { output_config: { effort: 'high' } },
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(seen).toHaveLength(3);
  });
});
