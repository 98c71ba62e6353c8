import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { defaultModelCatalog } from '@keel/models';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallHold } from '../client/call-options.ts';
import { createKeel } from '../client/create-keel.ts';
import { SqliteStorage } from '../storage/sqlite-storage.ts';
import { thinkingForModel } from '../thinking/thinking-for-model.ts';
import { BudgetManager } from './budget-manager.ts';
import { worstCaseReservation } from './worst-case-reservation.ts';

let emulator: EmulatorHandle;
let directory: string;
let storage: SqliteStorage;

beforeAll(async () => {
  emulator = await startEmulator();
  directory = mkdtempSync(join(tmpdir(), 'keel-worst-case-'));
  storage = new SqliteStorage({ path: join(directory, 'keel.db') });
});
afterAll(async () => {
  await emulator.close();
  await storage.close();
  rmSync(directory, { recursive: true, force: true });
});

/** A PNG the emulator sizes from its header: signature and IHDR (it reads width and height only). */
function pngOfSize(width: number, height: number): string {
  const bytes = Buffer.alloc(33);
  bytes.writeUInt32BE(0x89504e47, 0);
  bytes.writeUInt32BE(0x0d0a1a0a, 4);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'latin1');
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  bytes.writeUInt8(8, 24);
  bytes.writeUInt8(2, 25);
  return bytes.toString('base64');
}

const words = fc.constantFrom(
  'order',
  'refund',
  'internationalization',
  'shipping',
  'ORD-10000001',
  '1234567890',
  '注文の状況',
  'возврат',
  'مرحبا',
  '🎉',
  'café',
  '{"json": [1, 2]}',
  'in detail',
  '\n',
);
const text = fc.array(words, { minLength: 1, maxLength: 400 }).map((parts) => parts.join(' '));
const image = fc
  .tuple(fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 1, max: 4000 }))
  .map(([width, height]) => ({
    type: 'image' as const,
    source: {
      type: 'base64' as const,
      media_type: 'image/png' as const,
      data: pngOfSize(width, height),
    },
  }));
const userTurn = fc
  .tuple(text, fc.array(image, { maxLength: 2 }))
  .map(([words, images]): MessageParam => ({
    role: 'user',
    content: [...images, { type: 'text', text: words }],
  }));
const assistantTurn = text.map((words): MessageParam => ({ role: 'assistant', content: words }));
const history = fc
  .array(fc.tuple(userTurn, assistantTurn), { maxLength: 8 })
  .chain((pairs) =>
    userTurn.map((last) => [...pairs.flatMap(([user, assistant]) => [user, assistant]), last]),
  );
/** The history with a 5-minute breakpoint on the last block of its last turn. */
function withBreakpointOnLastTurn(messages: MessageParam[]): MessageParam[] {
  const last = messages.at(-1)!;
  const blocks = Array.isArray(last.content) ? [...last.content] : [];
  const end = blocks.at(-1);
  if (!end) return messages;
  blocks[blocks.length - 1] = { ...end, cache_control: { type: 'ephemeral' } } as typeof end;
  return [...messages.slice(0, -1), { ...last, content: blocks } as MessageParam];
}

const lookupTool: Tool = {
  name: 'get_order_status',
  description: 'Looks up the status of an order by its id',
  input_schema: {
    type: 'object',
    properties: { orderId: { type: 'string', description: 'The order id, ORD-...' } },
    required: ['orderId'],
  },
};
const models = ['claude-haiku-4-5-20251001', 'claude-sonnet-5-5', 'claude-haiku-5-5'] as const;

const call = fc.record({
  model: fc.constantFrom(...models),
  fallback: fc.option(fc.constantFrom(...models), { nil: undefined }),
  overloadFirst: fc.boolean(),
  messages: history,
  system: fc.option(text, { nil: undefined }),
  cacheSystem: fc.constantFrom('none', '5m', '1h'),
  cacheLastTurn: fc.boolean(),
  tools: fc.boolean(),
  thinking: fc.boolean(),
  // Small ceilings make the input side dominate the hold, where cache-write pricing matters.
  maxTokens: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 65, max: 3000 })),
  stream: fc.boolean(),
  repeat: fc.boolean(),
});

describe('worst-case reservation against the emulator (over HTTP)', () => {
  it('holds at least what every call then costs, and counts at least its input tokens', async () => {
    const budgets = new BudgetManager({
      storage,
      limits: [{ scope: 'global', period: 'day', maxUsd: 1_000_000 }],
    });
    const keel = createKeel({
      apiKey: 'k',
      baseURL: emulator.url,
      logger: false,
      budgets,
      onTruncation: 'return',
      // Overloads injected on purpose must not open a breaker; retries need not wait.
      resilience: { circuitBreaker: { minimumRequests: 1_000_000 } },
      _internal: { sleep: async () => {} },
    });
    let calls = 0;
    let fallbacksServed = 0;
    await fc.assert(
      fc.asyncProperty(call, async (sample) => {
        // Thinking settings are per model (adaptive or a budget), so a fallback would refuse them.
        const thinking =
          sample.thinking && !sample.fallback
            ? thinkingForModel({ model: sample.model, budgetTokens: 1024 })
            : undefined;
        const maxTokens = sample.maxTokens + (thinking?.budgetCounted ? 1100 : 0);
        const request = {
          model: sample.model,
          max_tokens: maxTokens,
          messages: sample.cacheLastTurn
            ? withBreakpointOnLastTurn(sample.messages)
            : sample.messages,
          ...(sample.system !== undefined
            ? {
                system: [
                  {
                    type: 'text' as const,
                    text: sample.system,
                    ...(sample.cacheSystem === '5m'
                      ? { cache_control: { type: 'ephemeral' as const } }
                      : sample.cacheSystem === '1h'
                        ? { cache_control: { type: 'ephemeral' as const, ttl: '1h' as const } }
                        : {}),
                  },
                ],
              }
            : {}),
          ...(sample.tools ? { tools: [lookupTool] } : {}),
          ...(thinking?.thinking ? { thinking: thinking.thinking } : {}),
          ...(thinking?.effort ? { output_config: { effort: thinking.effort } } : {}),
        };
        // A repeated request reads what the first wrote to the cache.
        for (let round = 0; round < (sample.repeat ? 2 : 1); round++) {
          // Two overloads use up the first model's attempts: the fallback (if any) serves.
          if (sample.overloadFirst && round === 0)
            emulator.state.faults.setRules([{ type: 'overloaded', count: 2 }]);
          let hold: CallHold | undefined;
          const options = {
            fallbacks: sample.fallback ? [sample.fallback] : (false as const),
            onReserved: (taken: CallHold | undefined) => (hold = taken),
          };
          const result = sample.stream
            ? await keel.stream(request, options).result()
            : await keel.call(request, options);
          emulator.state.faults.setRules([]);
          calls++;
          if (result.fallbackUsed) fallbacksServed++;
          expect(hold).toBeDefined();
          expect(result.cost.priced).toBe(true);
          if (!result.cost.priced) return;
          const usage = result.message.usage;
          const input =
            usage.input_tokens +
            (usage.cache_read_input_tokens ?? 0) +
            (usage.cache_creation_input_tokens ?? 0);
          expect(hold!.inputTokens).toBeGreaterThanOrEqual(input);
          expect(hold!.picoUsd).toBeGreaterThanOrEqual(result.cost.picoUsd);
        }
      }),
      { numRuns: 60, seed: 1306 },
    );
    await keel.close();
    // The cases really ran calls, through fallbacks too.
    expect(calls).toBeGreaterThanOrEqual(60);
    expect(fallbacksServed).toBeGreaterThan(0);
    // Every hold was settled or released.
    const [standing] = await budgets.standing({});
    expect(standing!.reserved.picoUsd).toBe(0n);
  }, 60_000);

  it('prices input as cache writes of the longest TTL the request asks for, plain when it asks none', () => {
    const catalog = defaultModelCatalog();
    const ttl = (request: Parameters<typeof worstCaseReservation>[0]['request']) =>
      worstCaseReservation({ request, models: ['claude-sonnet-5-5'], catalog, tags: {} })
        .cacheWriteTtl;
    const plain = { max_tokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] };
    expect(ttl(plain)).toBeNull();
    expect(
      ttl({
        ...plain,
        system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }],
      }),
    ).toBe('5m');
    expect(ttl({ ...plain, cache_control: { type: 'ephemeral' } })).toBe('5m');
    // A 1-hour breakpoint deep in a tool result decides, wherever the 5-minute ones are.
    expect(
      ttl({
        ...plain,
        system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }],
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 't',
                content: [
                  { type: 'text', text: 'r', cache_control: { type: 'ephemeral', ttl: '1h' } },
                ],
              },
            ],
          },
        ],
      }),
    ).toBe('1h');
  });

  it('prices the chain at its dearest model and counts with the larger tokenizer', () => {
    const catalog = defaultModelCatalog();
    const request = {
      max_tokens: 1000,
      messages: [{ role: 'user' as const, content: 'hello world' }],
    };
    const cheapFirst = worstCaseReservation({
      request,
      models: ['claude-haiku-4-5-20251001', 'claude-opus-4-7'],
      catalog,
      tags: {},
    });
    expect(cheapFirst.model).toBe('claude-opus-4-7');
    const olderOnly = worstCaseReservation({
      request,
      models: ['claude-haiku-4-5-20251001'],
      catalog,
      tags: {},
    });
    expect(cheapFirst.estimatedInputTokens).toBeGreaterThan(olderOnly.estimatedInputTokens);
  });
});
