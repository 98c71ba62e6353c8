import { describe, expect, it } from 'vitest';
import { estimateMaxCost } from './estimate-max-cost.ts';

// Figures worked out by hand from the published $/MTok prices.
describe('estimateMaxCost', () => {
  it('prices input as 1-hour cache writes by default, plus all of max_tokens', () => {
    // Sonnet 4.6: 10000 × $6 (1h write) + 1000 × $15 per MTok
    const estimate = estimateMaxCost({
      model: 'claude-sonnet-4-6',
      inputTokens: 10_000,
      maxOutputTokens: 1000,
    });
    expect(estimate).toMatchObject({ priced: true, usdText: '0.075', tokens: 11_000 });
  });

  it('prices input at the base rate when the request writes no cache', () => {
    const estimate = estimateMaxCost({
      model: 'claude-sonnet-4-6',
      inputTokens: 10_000,
      maxOutputTokens: 1000,
      cacheWriteTtl: null,
    });
    expect(estimate).toMatchObject({ priced: true, picoUsd: 45_000_000_000n });
  });

  it('uses the long-context tier when the estimate crosses it', () => {
    // Sonnet 4.5 over 200K: 300000 × $6 + 1000 × $22.50 per MTok
    const estimate = estimateMaxCost({
      model: 'claude-sonnet-4-5',
      inputTokens: 300_000,
      maxOutputTokens: 1000,
      cacheWriteTtl: null,
    });
    expect(estimate).toMatchObject({ priced: true, usdText: '1.8225', longContext: true });
  });

  it('adds the most web searches allowed and applies batch and geo', () => {
    // Opus 4.6: (1000 × $5 + 100 × $25) × 0.5 × 1.1 per MTok + 2 × $0.01
    const estimate = estimateMaxCost({
      model: 'claude-opus-4-6',
      inputTokens: 1000,
      maxOutputTokens: 100,
      cacheWriteTtl: null,
      batch: true,
      inferenceGeo: 'us',
      maxWebSearches: 2,
    });
    expect(estimate).toMatchObject({ priced: true, usdText: '0.024125' });
  });

  it('is unpriced for an unknown model', () => {
    expect(
      estimateMaxCost({ model: 'claude-mystery-9', inputTokens: 1, maxOutputTokens: 1 }),
    ).toEqual({ priced: false, model: 'claude-mystery-9', reason: 'unknown_model', tokens: 2 });
  });
});
