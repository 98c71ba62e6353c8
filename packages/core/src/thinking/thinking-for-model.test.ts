import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type EmulatorHandle } from '@keel/emulator';
import { defaultModelCatalog } from '@keel/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thinkingForModel } from './thinking-for-model.ts';

let emulator: EmulatorHandle;
let client: Anthropic;
beforeAll(async () => {
  emulator = await startEmulator();
  client = new Anthropic({ apiKey: 'k', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

const servedModels = defaultModelCatalog()
  .listNewestFirst()
  .filter((model) => model.lifecycle.status !== 'retired');

describe('thinkingForModel', () => {
  it('keeps a manual budget on models that take one', () => {
    expect(thinkingForModel({ model: 'claude-haiku-4-5', budgetTokens: 5000 })).toEqual({
      thinking: { type: 'enabled', budget_tokens: 5000 },
      effort: undefined,
      budgetCounted: true,
    });
  });

  it('turns a budget into adaptive thinking and an effort on adaptive-only models', () => {
    const small = thinkingForModel({ model: 'claude-sonnet-5-5', budgetTokens: 2000 });
    const large = thinkingForModel({ model: 'claude-sonnet-5-5', budgetTokens: 30_000 });
    expect(small).toMatchObject({ thinking: { type: 'adaptive' }, effort: 'low' });
    expect(large).toMatchObject({ thinking: { type: 'adaptive' }, effort: 'high' });
    expect(large.budgetCounted).toBe(false);
  });

  it('never asks an always-thinking model to stop thinking', () => {
    const none = thinkingForModel({ model: 'claude-opus-5-5', budgetTokens: 0 });
    expect(none.thinking).toBeUndefined();
    expect(none.effort).toBe('low');
  });

  // The point of the function: whatever the model, what it returns is a request the API takes.
  it.each(servedModels.map((model) => [model.id]))(
    'builds a request %s accepts, with and without thinking',
    async (model) => {
      for (const budgetTokens of [0, 2000, 12_000]) {
        const { thinking, effort, budgetCounted } = thinkingForModel({ model, budgetTokens });
        const message = await client.messages.create({
          model,
          max_tokens: budgetCounted ? budgetTokens + 1024 : 1024,
          messages: [{ role: 'user', content: 'Why is the sky blue?' }],
          ...(thinking ? { thinking } : {}),
          ...(effort ? { output_config: { effort } } : {}),
        });
        expect(message.type).toBe('message');
      }
    },
  );
});
