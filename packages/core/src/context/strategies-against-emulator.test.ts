import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateInputTokens } from '../tokens/estimate-tokens.ts';
import { assembleRequest } from '../cache/assemble-request.ts';
import type { ContentBlockParam, MessageParam } from '../call/conversation-shape.ts';
import { randomConversation } from './random-conversation.ts';
import {
  lastMessages,
  steppedWindow,
  tokenBudget,
  ContextOverflowError,
  type TrimStrategy,
} from './trim-strategy.ts';

let emulator: EmulatorHandle;
let client: Anthropic;
const pool: Array<{ thinking: string; signature: string }> = [];

beforeAll(async () => {
  emulator = await startEmulator();
  client = new Anthropic({ apiKey: 'property-test', baseURL: emulator.url, maxRetries: 0 });
  // Genuine thinking blocks, signed by the emulator, so passing them back is valid.
  for (const topic of ['refunds', 'shipping delays', 'warranty claims', 'address changes']) {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 3000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: `Think about ${topic}.` }],
    });
    for (const block of message.content)
      if (block.type === 'thinking')
        pool.push({ thinking: block.thinking, signature: block.signature });
  }
});
afterAll(() => emulator.close());

const countMessage = (message: MessageParam) => estimateInputTokens({ messages: [message] });
const countBlock = (value: unknown) =>
  estimateInputTokens({ messages: [{ role: 'user', content: [value as ContentBlockParam] }] });

describe('every strategy, on random conversations, yields requests the emulator accepts', () => {
  it('the emulator does reject what a naive trim produces (so the property can fail)', async () => {
    const messages = randomConversation(4, { turns: 12 });
    const orphanAt = messages.findIndex(
      (message) =>
        typeof message.content !== 'string' &&
        message.content.some((block) => block.type === 'tool_result'),
    );
    expect(orphanAt).toBeGreaterThan(0);
    await expect(
      client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 64,
        messages: messages.slice(orphanAt),
      }),
    ).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('holds for a thousand conversations with tool calls, parallel calls and thinking', async () => {
    expect(pool.length).toBeGreaterThan(0);
    const strategies: TrimStrategy[] = [
      lastMessages(3),
      lastMessages(8),
      tokenBudget(),
      steppedWindow(),
    ];
    const jobs: Array<() => Promise<void>> = [];
    let sent = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const messages = randomConversation(seed, { thinking: seed % 2 === 0, thinkingPool: pool });
      const total = messages.reduce((sum, message) => sum + countMessage(message), 0);
      const budgetTokens = Math.max(400, Math.floor(total * (0.15 + (seed % 9) / 10)));
      const strategy = strategies[seed % strategies.length]!;
      let trimmed;
      try {
        trimmed = strategy.trim({ messages, budgetTokens, countTokens: countMessage });
      } catch (error) {
        expect(error).toBeInstanceOf(ContextOverflowError);
        continue;
      }
      const assembled = assembleRequest({
        system: 'You are the Acme Store assistant. '.repeat(seed % 3 === 0 ? 400 : 2),
        messages: trimmed.messages,
        minCacheableTokens: 1024,
        countTokens: countBlock,
      });
      jobs.push(async () => {
        try {
          await client.messages.create({
            model: 'claude-sonnet-4-6',
            max_tokens: 64,
            ...(assembled.system ? { system: assembled.system } : {}),
            messages: assembled.messages,
          });
          sent++;
        } catch (error) {
          throw new Error(
            `seed ${seed} (${strategy.name}) was rejected: ${(error as Error).message}`,
          );
        }
      });
    }
    for (let i = 0; i < jobs.length; i += 16)
      await Promise.all(jobs.slice(i, i + 16).map((job) => job()));
    expect(sent).toBeGreaterThan(900);
  });
});
