import { describe, expect, it } from 'vitest';
import type { MessageParam } from '../call/conversation-shape.ts';
import {
  conversationMemoryAllowanceTokens,
  fitHistoryToWindow,
  fixedRequestTokens,
  historyBudgetTokens,
} from './fit-history-to-window.ts';
import { ContextOverflowError, tokenBudget, type TrimInput } from './trim-strategy.ts';

const model = { contextWindow: 10_000, tokenizer: 'claude-3' as const };
/** Every message counts 100 tokens. */
const countMessageTokens = () => 100;
const history: MessageParam[] = Array.from({ length: 11 }, (_, index) => ({
  role: index % 2 === 0 ? 'user' : 'assistant',
  content: `message ${index}`,
}));

describe('fitting the history to the window', () => {
  it('gives the history the window share less max_tokens and the fixed layers', () => {
    expect(
      historyBudgetTokens({ model, maxTokens: 1_000, windowShare: 0.5, fixedTokens: 700 }),
    ).toBe(10_000 * 0.5 - 1_000 - 700);
  });

  it('counts pinned blocks and keeps room for the conversation memory', () => {
    const none = fixedRequestTokens({ model, pinned: [], countMessageTokens });
    const twoPinned = fixedRequestTokens({
      model,
      pinned: [
        { type: 'text', text: 'doc 1' },
        { type: 'text', text: 'doc 2' },
      ],
      countMessageTokens,
    });
    expect(none).toBeGreaterThanOrEqual(conversationMemoryAllowanceTokens);
    expect(twoPinned - none).toBe(200);
    const withSystem = fixedRequestTokens({
      model,
      system: 'You are the Acme support assistant. '.repeat(20),
      pinned: [],
      countMessageTokens,
    });
    expect(withSystem).toBeGreaterThan(none);
  });

  it('hands the strategy the budget and where it started last turn, clamped to the history', () => {
    const inputs: TrimInput[] = [];
    const recording = {
      name: 'recording',
      trim: (input: TrimInput) => {
        inputs.push(input);
        return tokenBudget().trim(input);
      },
    };
    const fitted = fitHistoryToWindow({
      history,
      model,
      maxTokens: 1_000,
      pinned: [],
      windowShare: 0.3,
      strategy: recording,
      previousStart: 40,
      countMessageTokens,
    });
    const budget = 3_000 - 1_000 - fixedRequestTokens({ model, pinned: [], countMessageTokens });
    expect(inputs[0]).toMatchObject({ budgetTokens: budget, state: { start: 10 } });
    // 100 tokens a message: the newest messages that fit the budget, from a user turn.
    expect(fitted.messages.length).toBeLessThanOrEqual(Math.floor(budget / 100));
    expect(fitted.messages[0]!.role).toBe('user');
    expect(fitted.start + fitted.messages.length).toBe(history.length);
  });

  it('throws ContextOverflowError when not even the newest turn fits', () => {
    expect(() =>
      fitHistoryToWindow({
        history,
        model,
        maxTokens: 9_000,
        pinned: [],
        windowShare: 0.95,
        strategy: tokenBudget(),
        previousStart: 0,
        countMessageTokens,
      }),
    ).toThrow(ContextOverflowError);
  });
});
