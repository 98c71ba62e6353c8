import Anthropic from '@anthropic-ai/sdk';
import { startEmulator, type EmulatorHandle, type Scenario } from '@keel/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkCaller } from '../client/sdk-caller.ts';
import type { MessagesCaller, MessagesRequest } from '../call/messages-caller.ts';
import { chooseThinkingBudget } from './choose-thinking-budget.ts';

const difficulty = (level: string) => ({
  content: [{ type: 'text' as const, text: `{"difficulty":"${level}"}` }],
});
const scenarios: Scenario[] = [
  { name: 'simple', match: { userContains: ['semicolon'] }, replies: [difficulty('simple')] },
  { name: 'moderate', match: { userContains: ['pagination'] }, replies: [difficulty('moderate')] },
  { name: 'complex', match: { userContains: ['event-sourced'] }, replies: [difficulty('complex')] },
  { name: 'garbage', match: { userContains: ['gibberish'] }, replies: [difficulty('impossible')] },
];

let emulator: EmulatorHandle;
let caller: MessagesCaller;
const sent: MessagesRequest[] = [];
beforeAll(async () => {
  emulator = await startEmulator({ scenarios });
  const sdk = sdkCaller(new Anthropic({ apiKey: 'k', baseURL: emulator.url, maxRetries: 0 }));
  caller = {
    create: (request, options) => (sent.push(request), sdk.create(request, options)),
    stream: sdk.stream,
  };
});
afterAll(() => emulator.close());

describe('chooseThinkingBudget', () => {
  it('gives simple requests no thinking, moderate 5k and complex 15k', async () => {
    const choose = (request: string) =>
      chooseThinkingBudget({ caller, request, model: 'claude-sonnet-4-5', answerMaxTokens: 2000 });
    const simple = await choose('Do I need a semicolon after a TypeScript interface?');
    expect(simple).toMatchObject({ difficulty: 'simple', thinking: undefined, maxTokens: 2000 });
    const moderate = await choose('Implement cursor pagination for my orders endpoint.');
    expect(moderate).toMatchObject({
      difficulty: 'moderate',
      thinking: { type: 'enabled', budget_tokens: 5000 },
      maxTokens: 7000,
    });
    const complex = await choose('Design an event-sourced billing system across three regions.');
    expect(complex).toMatchObject({ thinking: { budget_tokens: 15000 }, maxTokens: 17000 });
    // The classifier is the cheap model, asked for structured output.
    expect(sent.at(-1)).toMatchObject({ model: 'claude-haiku-5-5', max_tokens: 64 });
    expect(sent.at(-1)!.output_config?.format?.type).toBe('json_schema');
  });

  it('clips the budget to the answering model’s output limit', async () => {
    const choice = await chooseThinkingBudget({
      caller,
      request: 'Design an event-sourced ledger.',
      model: 'claude-opus-4-1',
      answerMaxTokens: 20_000,
    });
    expect(choice.thinking).toEqual({ type: 'enabled', budget_tokens: 12_000 });
    expect(choice.maxTokens).toBe(32_000);
  });

  it('asks adaptive-only models for more effort instead of a budget', async () => {
    const choose = (request: string) =>
      chooseThinkingBudget({ caller, request, model: 'claude-sonnet-5-5', answerMaxTokens: 2000 });
    const simple = await choose('Do I need a semicolon after a TypeScript interface?');
    expect(simple).toMatchObject({ thinking: undefined, effort: undefined, maxTokens: 2000 });
    const moderate = await choose('Implement cursor pagination for my orders endpoint.');
    expect(moderate).toMatchObject({
      thinking: { type: 'adaptive' },
      effort: 'medium',
      maxTokens: 2000,
    });
    const complex = await choose('Design an event-sourced billing system across three regions.');
    expect(complex).toMatchObject({ thinking: { type: 'adaptive' }, effort: 'high' });
  });

  it('falls back when the classifier answers outside the scale', async () => {
    const choice = await chooseThinkingBudget({
      caller,
      request: 'gibberish',
      model: 'claude-sonnet-4-5',
      fallback: 'simple',
    });
    expect(choice).toMatchObject({ difficulty: 'simple', thinking: undefined });
    expect(choice.classifierError?.code).toBe('structured_output_invalid');
  });

  it('works with the emulator’s own deterministic classifier answer', async () => {
    const choice = await chooseThinkingBudget({
      caller,
      request: 'Hello there!',
      model: 'claude-sonnet-4-5',
    });
    expect(['simple', 'moderate', 'complex']).toContain(choice.difficulty);
    expect(choice.classifierError).toBeUndefined();
  });
});
