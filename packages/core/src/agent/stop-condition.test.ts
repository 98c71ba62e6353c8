import type { Message, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import {
  allOf,
  anyOf,
  costExceeds,
  stepCountIs,
  toolCalled,
  type AgentStepState,
} from './stop-condition.ts';

const toolUse = (name: string) =>
  ({ type: 'tool_use', id: `toolu_${name}`, name, input: {} }) as ToolUseBlock;
const state = (overrides: Partial<AgentStepState> = {}): AgentStepState => ({
  iterations: 1,
  costPicoUsd: 0n,
  costComplete: true,
  message: {} as Message,
  toolUses: [],
  toolCalls: [],
  ...overrides,
});

describe('stop conditions', () => {
  it('stepCountIs fires once the count is reached', () => {
    expect(stepCountIs(3)(state({ iterations: 2 }))).toBeUndefined();
    expect(stepCountIs(3)(state({ iterations: 3 }))).toEqual({
      outcome: 'max_iterations',
      reason: 'the agent reached its limit of 3 model calls',
    });
  });

  it('costExceeds compares picodollars exactly, from a number or a decimal string', () => {
    const limit = costExceeds('0.000000000003');
    expect(limit(state({ costPicoUsd: 2n }))).toBeUndefined();
    expect(limit(state({ costPicoUsd: 3n }))?.outcome).toBe('max_cost');
    expect(costExceeds(0.3)(state({ costPicoUsd: 299_999_999_999n }))).toBeUndefined();
    expect(costExceeds(0.3)(state({ costPicoUsd: 300_000_000_000n }))?.reason).toBe(
      'the agent reached its cost limit of $0.3',
    );
  });

  it('toolCalled fires on a pending call of that tool only', () => {
    expect(toolCalled('answer')(state({ toolUses: [toolUse('search')] }))).toBeUndefined();
    expect(
      toolCalled('answer')(state({ toolUses: [toolUse('search'), toolUse('answer')] })),
    ).toEqual({
      outcome: 'completed',
      reason: 'the model called answer',
    });
  });

  it('anyOf takes the first that fires; allOf needs every one and takes the last', () => {
    const both = state({ iterations: 5, costPicoUsd: 10n ** 12n });
    expect(anyOf(costExceeds(1), stepCountIs(5))(both)?.outcome).toBe('max_cost');
    expect(anyOf(stepCountIs(5), costExceeds(1))(both)?.outcome).toBe('max_iterations');
    expect(anyOf()(both)).toBeUndefined();
    expect(allOf(stepCountIs(5), costExceeds(2))(both)).toBeUndefined();
    expect(allOf(stepCountIs(5), costExceeds(1))(both)?.outcome).toBe('max_cost');
  });
});
