import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type EmulatorHandle, type Scenario } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../tools/define-tool.ts';
import { sdkCaller } from '../client/sdk-caller.ts';
import type { MessagesCaller } from '../call/messages-caller.ts';
import type { AgentEvent } from './agent-events.ts';
import { streamAgent } from './stream-agent.ts';

const scenarios: Scenario[] = [
  {
    name: 'stream-tools',
    forcedOnly: true,
    replies: [
      {
        content: [
          { type: 'thinking', thinking: 'I need the weather first.' },
          { type: 'text', text: 'Let me check.' },
          { type: 'tool_use', name: 'weather', input: { city: 'Paris' } },
        ],
      },
      { content: [{ type: 'text', text: 'It is sunny in Paris today.' }] },
    ],
  },
];

let emulator: EmulatorHandle;
let caller: MessagesCaller;
beforeAll(async () => {
  emulator = await startEmulator({ scenarios });
  caller = sdkCaller(new Anthropic({ apiKey: 'test-key', baseURL: emulator.url, maxRetries: 0 }));
});
afterAll(() => emulator.close());

const weather = defineTool({
  name: 'weather',
  description: 'Current weather for a city.',
  input: z.object({ city: z.string() }),
  handler: ({ city }) => `${city}: sunny`,
});

describe('streamAgent', () => {
  it('emits thinking state, text deltas and tool start/end events, then the result', async () => {
    const run = streamAgent({
      caller,
      model: 'claude-sonnet-4-6',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weather],
      principal: { userId: 'u1', roles: [] },
      maxTokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      headers: { 'x-keel-scenario': 'stream-tools' },
    });
    const events: AgentEvent[] = [];
    for await (const event of run) events.push(event);

    // Collapse consecutive deltas so the order of states is easy to read.
    const kinds = events
      .map((event) => event.type)
      .filter((type, index, all) => !(type.endsWith('-delta') && all[index - 1] === type));
    expect(kinds).toEqual([
      'step-start',
      'thinking-start',
      'thinking-delta',
      'thinking-end',
      'text-delta',
      'tool-input-start',
      'step-finish',
      'tool-call-start',
      'tool-call-end',
      'step-start',
      'text-delta',
      'step-finish',
      'finish',
    ]);
    const text = events
      .flatMap((event) => (event.type === 'text-delta' ? [event.text] : []))
      .join('');
    expect(text).toBe('Let me check.It is sunny in Paris today.');
    expect(events.find((event) => event.type === 'tool-call-end')).toMatchObject({
      name: 'weather',
      status: 'ok',
      isError: false,
    });
    const result = await run.result;
    expect(result.outcome).toBe('completed');
    expect(events.at(-1)).toEqual({ type: 'finish', result });
    // The streamed thinking block went back with its signature (the emulator verified it).
    expect(result.newMessages[0]!.content).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'thinking', signature: expect.any(String) }),
      ]),
    );
  });

  it('surfaces an API failure both from the iterator and from result', async () => {
    const run = streamAgent({
      caller,
      model: 'claude-nonexistent-1',
      messages: [{ role: 'user', content: 'Hi' }],
      principal: { userId: 'u1', roles: [] },
    });
    await expect(run.result).rejects.toThrow();
    const consume = async () => {
      for await (const _event of run) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow();
  });

  it('ends with an aborted outcome when the user stops a streaming answer', async () => {
    // Slow output, so the answer is still streaming when the first delta triggers the abort.
    const slow = await startEmulator({
      latency: { timeToFirstTokenMs: 0, outputTokensPerSecond: 40 },
      scenarios: [
        {
          name: 'essay',
          forcedOnly: true,
          replies: [{ content: [{ type: 'text', text: 'word '.repeat(400) }] }],
        },
      ],
    });
    try {
      const controller = new AbortController();
      const run = streamAgent({
        caller: sdkCaller(new Anthropic({ apiKey: 'k', baseURL: slow.url, maxRetries: 0 })),
        model: 'claude-sonnet-4-6',
        messages: [{ role: 'user', content: 'Write an essay.' }],
        principal: { userId: 'u1', roles: [] },
        signal: controller.signal,
        headers: { 'x-keel-scenario': 'essay' },
      });
      let deltas = 0;
      for await (const event of run) {
        if (event.type === 'text-delta') {
          deltas += 1;
          controller.abort();
        }
      }
      const result = await run.result;
      expect(result.outcome).toBe('aborted');
      expect(result.finalMessage).toBeUndefined();
      expect(deltas).toBeGreaterThanOrEqual(1);
    } finally {
      await slow.close();
    }
  });
});
