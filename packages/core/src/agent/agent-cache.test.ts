import Anthropic from '@anthropic-ai/sdk';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../tools/define-tool.ts';
import { sdkCaller } from '../client/sdk-caller.ts';
import type { MessagesCaller } from '../call/messages-caller.ts';
import { runAgent } from './run-agent.ts';

let emulator: EmulatorHandle;
let client: Anthropic;

beforeAll(async () => {
  emulator = await startEmulator({
    scenarios: [
      {
        name: 'many-parallel-lookups',
        forcedOnly: true,
        replies: [
          {
            // Twelve parallel calls: a step that adds more than the 20 blocks the cache looks back.
            content: Array.from({ length: 12 }, (_, i) => ({
              type: 'tool_use' as const,
              name: 'get_order_status',
              input: { order_id: `ORD-${100 + i}` },
            })),
          },
          { content: [{ type: 'text', text: 'All twelve orders are on their way.' }] },
        ],
      },
    ],
  });
  client = new Anthropic({ apiKey: 'agent-cache', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

const orderStatus = defineTool({
  name: 'get_order_status',
  description: 'Status of one order',
  input: z.object({ order_id: z.string() }),
  handler: async ({ order_id }) => ({ order_id, status: 'shipped' }),
});

function recording(caller: MessagesCaller, seen: Message[]): MessagesCaller {
  return {
    create: async (request, options) => {
      const message = await caller.create(request, options);
      seen.push(message);
      return message;
    },
    stream: caller.stream,
  };
}

const system = 'You are the operations agent of Acme Store. Follow the runbook exactly. '.repeat(
  300,
);

async function run(cache: boolean) {
  await fetch(`${emulator.url}/_emulator/cache/reset`, { method: 'POST' });
  emulator.state.scenarios.resetTurns();
  const seen: Message[] = [];
  const result = await runAgent({
    caller: recording(sdkCaller(client), seen),
    model: 'claude-sonnet-4-6',
    system,
    messages: [{ role: 'user', content: 'Check every open order.' }],
    tools: [orderStatus],
    principal: { userId: 'ops', roles: ['staff'] },
    headers: { 'x-keel-scenario': 'many-parallel-lookups' },
    cache,
  });
  return { result, seen };
}

describe('the agent loop caches by default', () => {
  it('reads the previous step from the cache even after a step of twelve parallel calls', async () => {
    const { result, seen } = await run(true);
    expect(result.outcome).toBe('completed');
    expect(seen).toHaveLength(2);
    expect(seen[0]!.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    // The second request reads everything the first one wrote.
    expect(seen[1]!.usage.cache_read_input_tokens).toBeGreaterThanOrEqual(
      (seen[0]!.usage.cache_creation_input_tokens ?? 0) +
        (seen[0]!.usage.cache_read_input_tokens ?? 0),
    );
  });

  it('sends no cache markers when the caller opts out', async () => {
    const { seen } = await run(false);
    expect(seen.every((message) => (message.usage.cache_read_input_tokens ?? 0) === 0)).toBe(true);
  });
});
