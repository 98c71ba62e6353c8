import { describe, expect, it } from 'vitest';
import { ThinkingConfigError } from './thinking-config-error.ts';
import { validateThinking, type ValidateThinkingOptions } from './validate-thinking.ts';

function issues(options: ValidateThinkingOptions): string[] {
  try {
    validateThinking(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ThinkingConfigError);
    return (error as ThinkingConfigError).details.issues;
  }
  throw new Error('expected ThinkingConfigError');
}

describe('validateThinking', () => {
  it('accepts a budget of at least 1024 below max_tokens', () => {
    expect(
      validateThinking({
        model: 'claude-sonnet-4-5',
        thinking: { type: 'enabled', budget_tokens: 1024 },
        maxTokens: 2048,
      }),
    ).toEqual({ model: 'claude-sonnet-4-5-20250929', thinks: true, warnings: [] });
  });

  it('rejects budgets below 1024 or not below max_tokens', () => {
    expect(
      issues({
        model: 'claude-sonnet-4-5',
        thinking: { type: 'enabled', budget_tokens: 512 },
        maxTokens: 4000,
      }),
    ).toEqual(['budget_tokens must be at least 1024 (got 512)']);
    expect(
      issues({
        model: 'claude-sonnet-4-5',
        thinking: { type: 'enabled', budget_tokens: 4000 },
        maxTokens: 4000,
      }),
    ).toEqual(['budget_tokens (4000) must be less than max_tokens (4000), which includes it']);
    // Interleaved thinking with tools may exceed max_tokens.
    expect(
      validateThinking({
        model: 'claude-sonnet-4-5',
        thinking: { type: 'enabled', budget_tokens: 8000 },
        maxTokens: 4000,
        interleaved: true,
      }).thinks,
    ).toBe(true);
  });

  it('allows adaptive thinking and effort only where the catalog says so', () => {
    expect(
      validateThinking({
        model: 'claude-opus-4-6',
        thinking: { type: 'adaptive' },
        effort: 'max',
        maxTokens: 8000,
      }).thinks,
    ).toBe(true);
    expect(
      issues({ model: 'claude-haiku-4-5', thinking: { type: 'adaptive' }, maxTokens: 8000 }),
    ).toEqual([
      "claude-haiku-4-5-20251001 does not support adaptive thinking; use { type: 'enabled', budget_tokens }",
    ]);
    expect(issues({ model: 'claude-opus-4-5', effort: 'max', maxTokens: 8000 })).toEqual([
      'effort "max" is not supported by claude-opus-4-5-20251101 (supported: low, medium, high)',
    ]);
    expect(issues({ model: 'claude-opus-4-1', effort: 'low', maxTokens: 8000 })).toEqual([
      'claude-opus-4-1-20250805 does not support effort',
    ]);
  });

  it('warns about manual budgets on models with adaptive thinking', () => {
    expect(
      validateThinking({
        model: 'claude-opus-4-6',
        thinking: { type: 'enabled', budget_tokens: 2000 },
        maxTokens: 8000,
      }).warnings,
    ).toEqual(['claude-opus-4-6 supports adaptive thinking; manual budgets are deprecated there']);
  });

  it('lists every conflict of thinking with sampling, tool_choice and limits at once', () => {
    expect(
      issues({
        model: 'claude-opus-4-1',
        thinking: { type: 'enabled', budget_tokens: 2000 },
        maxTokens: 40_000,
        temperature: 0.2,
        topK: 5,
        topP: 0.5,
        toolChoice: { type: 'tool', name: 'x' },
      }),
    ).toEqual([
      "max_tokens 40000 exceeds claude-opus-4-1-20250805's limit of 32000",
      'temperature cannot be changed while thinking',
      'top_k cannot be set while thinking',
      'top_p must be between 0.95 and 1 while thinking',
      'tool_choice "tool" cannot be used while thinking (only auto or none)',
    ]);
    // Without thinking the same sampling settings are fine.
    expect(
      validateThinking({ model: 'claude-opus-4-1', maxTokens: 1000, temperature: 0.2, topK: 5 })
        .thinks,
    ).toBe(false);
  });

  it('knows always-thinking models and models that refuse a forced tool choice', () => {
    expect(
      issues({ model: 'claude-opus-5-5', thinking: { type: 'disabled' }, maxTokens: 1000 }),
    ).toEqual(['claude-opus-5-5 always thinks; thinking cannot be disabled (leave it unset)']);
    expect(validateThinking({ model: 'claude-opus-5-5', maxTokens: 1000 }).thinks).toBe(true);
    expect(
      issues({ model: 'claude-opus-5-5', maxTokens: 1000, toolChoice: { type: 'any' } }),
    ).toEqual(['claude-opus-5-5 does not accept a forced tool_choice (only auto or none)']);
  });
});
