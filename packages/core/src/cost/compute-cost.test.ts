import { ValidationError } from '@keel/errors';
import { defaultModelCatalog, parseModelCatalog } from '@keel/models';
import { describe, expect, it } from 'vitest';
import { computeCost } from './compute-cost.ts';
import { costToJson } from './cost-json.ts';
import { formatPicoUsd } from './pico-usd.ts';
import type { CostResult, PricedCost } from './cost-result.ts';

// Expected figures below were worked out by hand from Anthropic's published $/MTok list prices
// (input, 5m write, 1h write, cache read, output), not with the code under test.
const usage = {
  input_tokens: 1234,
  cache_creation_input_tokens: 656,
  cache_creation: { ephemeral_5m_input_tokens: 567, ephemeral_1h_input_tokens: 89 },
  cache_read_input_tokens: 4321,
  output_tokens: 987,
};

const expectedPerModel: Record<string, [string, string, string, string, string, string]> = {
  // model: input, 5m write, 1h write, cache read, output, total (USD)
  'claude-fable-5-2': ['0.009872', '0.00567', '0.001424', '0.0008642', '0.03948', '0.0573102'],
  'claude-fable-5-1': ['0.01234', '0.0070875', '0.00178', '0.00108025', '0.04935', '0.07163775'],
  'claude-opus-5-5': ['0.004936', '0.002835', '0.000712', '0.0008642', '0.01974', '0.0290872'],
  'claude-sonnet-5-5': ['0.002468', '0.0014175', '0.000356', '0.0004321', '0.00987', '0.0145436'],
  // Haiku 5.5 below its 100,000-token prompt tier (6,211 prompt tokens here).
  'claude-haiku-5-5': [
    '0.0001234',
    '0.000070875',
    '0.0000178',
    '0.00004321',
    '0.0004935',
    '0.000748785',
  ],
  'claude-opus-5': ['0.00617', '0.00354375', '0.00089', '0.0021605', '0.024675', '0.03743925'],
  'claude-sonnet-5': ['0.002468', '0.0014175', '0.000356', '0.0008642', '0.00987', '0.0149757'],
  'claude-fable-5': ['0.01234', '0.0070875', '0.00178', '0.004321', '0.04935', '0.0748785'],
  'claude-opus-4-8': ['0.00617', '0.00354375', '0.00089', '0.0021605', '0.024675', '0.03743925'],
  'claude-opus-4-7': ['0.00617', '0.00354375', '0.00089', '0.0021605', '0.024675', '0.03743925'],
  'claude-opus-4-6': ['0.00617', '0.00354375', '0.00089', '0.0021605', '0.024675', '0.03743925'],
  'claude-sonnet-4-6': [
    '0.003702',
    '0.00212625',
    '0.000534',
    '0.0012963',
    '0.014805',
    '0.02246355',
  ],
  'claude-haiku-4-5-20251001': [
    '0.001234',
    '0.00070875',
    '0.000178',
    '0.0004321',
    '0.004935',
    '0.00748785',
  ],
  'claude-opus-4-5-20251101': [
    '0.00617',
    '0.00354375',
    '0.00089',
    '0.0021605',
    '0.024675',
    '0.03743925',
  ],
  'claude-opus-4-1-20250805': [
    '0.01851',
    '0.01063125',
    '0.00267',
    '0.0064815',
    '0.074025',
    '0.11231775',
  ],
  'claude-sonnet-4-5-20250929': [
    '0.003702',
    '0.00212625',
    '0.000534',
    '0.0012963',
    '0.014805',
    '0.02246355',
  ],
  'claude-sonnet-4-20250514': [
    '0.003702',
    '0.00212625',
    '0.000534',
    '0.0012963',
    '0.014805',
    '0.02246355',
  ],
};

/** USD decimal text → picodollars, by string surgery (independent of the code under test). */
function pico(usd: string): bigint {
  const [whole = '0', fraction = ''] = usd.split('.');
  return BigInt(whole + fraction.padEnd(12, '0'));
}

function priced(result: CostResult): PricedCost {
  if (!result.priced) throw new Error(`expected a priced result, got ${result.reason}`);
  return result;
}

describe('computeCost', () => {
  it('covers every model in the shipped catalog', () => {
    expect(
      defaultModelCatalog()
        .models.map((m) => m.id)
        .sort(),
    ).toEqual(Object.keys(expectedPerModel).sort());
  });

  for (const [model, [input, write5m, write1h, read, output, total]] of Object.entries(
    expectedPerModel,
  )) {
    it(`prices each bucket of ${model} at the published rates`, () => {
      const cost = priced(computeCost({ model, usage }));
      expect(cost.model).toBe(model);
      expect(cost.breakdown.input).toMatchObject({ tokens: 1234, picoUsd: pico(input) });
      expect(cost.breakdown.cacheWrite5m).toMatchObject({ tokens: 567, picoUsd: pico(write5m) });
      expect(cost.breakdown.cacheWrite1h).toMatchObject({ tokens: 89, picoUsd: pico(write1h) });
      expect(cost.breakdown.cacheRead).toMatchObject({ tokens: 4321, picoUsd: pico(read) });
      expect(cost.breakdown.output).toMatchObject({ tokens: 987, picoUsd: pico(output) });
      expect(cost.picoUsd).toBe(pico(total));
      expect(cost.usdText).toBe(total);
      expect(cost.usd).toBeCloseTo(Number(total), 12);
      expect(cost).toMatchObject({
        longContext: false,
        batch: false,
        geoUs: false,
        partial: false,
      });
    });

    it(`prices each bucket of ${model} alone`, () => {
      const single = (fields: object) =>
        priced(computeCost({ model, usage: { input_tokens: 0, output_tokens: 0, ...fields } }))
          .picoUsd;
      expect(single({ input_tokens: 1234 })).toBe(pico(input));
      expect(
        single({
          cache_creation_input_tokens: 567,
          cache_creation: { ephemeral_5m_input_tokens: 567, ephemeral_1h_input_tokens: 0 },
        }),
      ).toBe(pico(write5m));
      expect(
        single({
          cache_creation_input_tokens: 89,
          cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 89 },
        }),
      ).toBe(pico(write1h));
      expect(single({ cache_read_input_tokens: 4321 })).toBe(pico(read));
      expect(single({ output_tokens: 987 })).toBe(pico(output));
    });
  }

  it('resolves an alias to the catalog id', () => {
    expect(priced(computeCost({ model: 'claude-haiku-4-5', usage })).model).toBe(
      'claude-haiku-4-5-20251001',
    );
  });

  it('bills mixed-TTL writes from the cache_creation breakdown', () => {
    // Sonnet 4.6: 2095×$3 + 148×$3.75 + 100×$6 + 1800×$0.30 + 503×$15 per MTok = $0.015525
    const cost = priced(
      computeCost({
        model: 'claude-sonnet-4-6',
        usage: {
          input_tokens: 2095,
          output_tokens: 503,
          cache_creation_input_tokens: 248,
          cache_read_input_tokens: 1800,
          cache_creation: { ephemeral_5m_input_tokens: 148, ephemeral_1h_input_tokens: 100 },
        },
      }),
    );
    expect(cost.usdText).toBe('0.015525');
    expect(cost.tokens).toEqual({
      input: 2095,
      cacheWrite5m: 148,
      cacheWrite1h: 100,
      cacheRead: 1800,
      output: 503,
    });
  });

  it('bills every cache write as a 5-minute write when the breakdown is absent', () => {
    // 2095×$3 + 248×$3.75 + 1800×$0.30 + 503×$15 per MTok = $0.0153
    const cost = priced(
      computeCost({
        model: 'claude-sonnet-4-6',
        usage: {
          input_tokens: 2095,
          output_tokens: 503,
          cache_creation_input_tokens: 248,
          cache_read_input_tokens: 1800,
          cache_creation: null,
        },
      }),
    );
    expect(cost.usdText).toBe('0.0153');
    expect(cost.breakdown.cacheWrite5m.tokens).toBe(248);
    expect(cost.breakdown.cacheWrite1h.tokens).toBe(0);
  });

  it('halves every bucket for batch requests (service_tier or flag)', () => {
    const fromUsage = priced(
      computeCost({ model: 'claude-opus-4-6', usage: { ...usage, service_tier: 'batch' } }),
    );
    expect(fromUsage.usdText).toBe('0.018719625');
    expect(fromUsage.batch).toBe(true);
    const fromFlag = priced(computeCost({ model: 'claude-opus-4-6', usage, batch: true }));
    expect(fromFlag.picoUsd).toBe(pico('0.018719625'));
    // 987 output tokens at $12.50/MTok
    expect(fromFlag.breakdown.output.picoUsd).toBe(pico('0.01233750'));
  });

  it('applies the 1.1x US inference-geo multiplier where the catalog has one', () => {
    const us = priced(
      computeCost({ model: 'claude-opus-4-6', usage: { ...usage, inference_geo: 'us' } }),
    );
    expect(us.usdText).toBe('0.041183175');
    expect(us.geoUs).toBe(true);
    const global = priced(
      computeCost({ model: 'claude-opus-4-6', usage: { ...usage, inference_geo: 'global' } }),
    );
    expect(global.usdText).toBe('0.03743925');
    const explicit = priced(computeCost({ model: 'claude-opus-4-6', usage, inferenceGeo: 'us' }));
    expect(explicit.usdText).toBe('0.041183175');
    // Haiku 4.5 predates the surcharge
    const haiku = priced(
      computeCost({ model: 'claude-haiku-4-5', usage: { ...usage, inference_geo: 'us' } }),
    );
    expect(haiku).toMatchObject({ usdText: '0.00748785', geoUs: false });
  });

  it('stacks batch and geo exactly, even below a nanodollar', () => {
    // One 5m write on Opus 4.6: $6.25 × 0.5 × 1.1 per MTok = $0.0000034375
    const cost = priced(
      computeCost({
        model: 'claude-opus-4-6',
        usage: {
          input_tokens: 0,
          output_tokens: 0,
          cache_creation_input_tokens: 1,
          service_tier: 'batch',
          inference_geo: 'us',
        },
      }),
    );
    expect(cost.picoUsd).toBe(3_437_500n);
    expect(cost.usdText).toBe('0.0000034375');
    // The whole usage: $0.03743925 × 0.5 × 1.1
    const whole = computeCost({
      model: 'claude-opus-4-6',
      usage: { ...usage, service_tier: 'batch', inference_geo: 'us' },
    });
    expect(priced(whole).usdText).toBe('0.0205915875');
  });

  const longUsage = (read: number) => ({
    input_tokens: 150_000,
    cache_creation_input_tokens: 40_000,
    cache_creation: { ephemeral_5m_input_tokens: 30_000, ephemeral_1h_input_tokens: 10_000 },
    cache_read_input_tokens: read,
    output_tokens: 2000,
  });

  it('prices every token of a Sonnet 4.5 request over 200K at the long-context tier', () => {
    // Tier $6 in / $22.50 out; writes 1.25x and 2x, reads 0.1x of $6:
    // 150000×6 + 30000×7.5 + 10000×12 + 20001×0.6 + 2000×22.5 per MTok = $1.3020006
    const cost = priced(
      computeCost({ model: 'claude-sonnet-4-5-20250929', usage: longUsage(20_001) }),
    );
    expect(cost.longContext).toBe(true);
    expect(cost.usdText).toBe('1.3020006');
    expect(cost.breakdown.cacheRead.picoUsd).toBe(pico('0.0120006'));
    // With the batch discount on top: half
    const batched = priced(
      computeCost({ model: 'claude-sonnet-4-5-20250929', usage: longUsage(20_001), batch: true }),
    );
    expect(batched.usdText).toBe('0.6510003');
  });

  it('keeps standard rates at exactly 200K input tokens', () => {
    // 150000×3 + 30000×3.75 + 10000×6 + 10000×0.3 + 2000×15 per MTok = $0.6555
    const cost = priced(
      computeCost({ model: 'claude-sonnet-4-5-20250929', usage: longUsage(10_000) }),
    );
    expect(cost).toMatchObject({ longContext: false, usdText: '0.6555' });
  });

  it('prices a Haiku 5.5 prompt over 100,000 tokens at its higher tier, output included', () => {
    // Tier $0.50 in / $2.50 out, reads 0.1x of $0.50:
    // 90000×0.5 + 10001×0.05 + 1000×2.5 per MTok = $0.04800005
    const over = {
      input_tokens: 90_000,
      cache_read_input_tokens: 10_001,
      cache_creation_input_tokens: 0,
      output_tokens: 1000,
    };
    const cost = priced(computeCost({ model: 'claude-haiku-5-5', usage: over }));
    expect(cost).toMatchObject({ longContext: true, usdText: '0.04800005' });
    // At exactly 100,000: 90000×0.1 + 10000×0.01 + 1000×0.5 per MTok = $0.0096
    const at = { ...over, cache_read_input_tokens: 10_000 };
    const standard = priced(computeCost({ model: 'claude-haiku-5-5', usage: at }));
    expect(standard).toMatchObject({ longContext: false, usdText: '0.0096' });
  });

  it('has no long-context premium on Sonnet 4.6', () => {
    // 150000×3 + 30000×3.75 + 10000×6 + 20001×0.3 + 2000×15 per MTok = $0.6585003
    const cost = priced(computeCost({ model: 'claude-sonnet-4-6', usage: longUsage(20_001) }));
    expect(cost).toMatchObject({ longContext: false, usdText: '0.6585003' });
  });

  it('adds $10 per 1000 web searches, outside the batch discount', () => {
    const cost = priced(
      computeCost({
        model: 'claude-haiku-4-5',
        usage: {
          input_tokens: 1000,
          output_tokens: 100,
          server_tool_use: { web_search_requests: 3 },
        },
        batch: true,
      }),
    );
    // 1000×$0.50 + 100×$2.50 per MTok = $0.00075, plus 3 × $0.01
    expect(cost.breakdown.webSearch).toEqual({
      requests: 3,
      picoUsdPerRequest: pico('0.01'),
      picoUsd: pico('0.03'),
    });
    expect(cost.usdText).toBe('0.03075');
  });

  it('passes the partial flag through', () => {
    expect(computeCost({ model: 'claude-opus-4-6', usage, partial: true }).partial).toBe(true);
  });

  it('reports an unknown model as unpriced, never $0', () => {
    const cost = computeCost({ model: 'claude-mystery-9', usage });
    expect(cost).toMatchObject({
      priced: false,
      model: 'claude-mystery-9',
      reason: 'unknown_model',
    });
    expect(cost).not.toHaveProperty('picoUsd');
    expect(cost.tokens.output).toBe(987);
  });

  it('reports a catalog model without a price as unpriced', () => {
    const catalog = catalogWith({ pricing: null });
    expect(computeCost({ model: 'claude-test-1', usage, catalog })).toMatchObject({
      priced: false,
      reason: 'no_price',
    });
  });

  it('reports fast mode as unpriced', () => {
    expect(
      computeCost({ model: 'claude-opus-4-6', usage: { ...usage, speed: 'fast' } }),
    ).toMatchObject({ priced: false, reason: 'fast_mode', model: 'claude-opus-4-6' });
  });

  it('refuses prices too fine to count in picodollars instead of rounding', () => {
    const catalog = catalogWith({
      pricing: { ...defaultModelCatalog().get('claude-opus-4-6').pricing!, cacheRead: 0.0000001 },
    });
    expect(() => computeCost({ model: 'claude-test-1', usage, catalog })).toThrow(ValidationError);
  });
});

function catalogWith(overrides: object) {
  const base = defaultModelCatalog().get('claude-opus-4-6');
  return parseModelCatalog({
    defaults: defaultModelCatalog().defaults,
    models: [{ ...base, id: 'claude-test-1', aliases: [], ...overrides }],
  });
}

describe('computeCost beyond 2^53 picodollars', () => {
  it('prices amounts too large for exact float arithmetic with bigints, exactly', () => {
    // 2,000,000,000 output tokens at $75/MTok = $150,000, over 2^53 picodollars (~$9,007).
    const cost = computeCost({
      model: 'claude-opus-4-1-20250805',
      usage: { input_tokens: 3, output_tokens: 2_000_000_000 },
    }) as PricedCost;
    expect(cost.picoUsd).toBe(150_000_000_045_000_000n);
    expect(cost.usdText).toBe('150000.000045');
    expect(cost.breakdown.output.picoUsd).toBe(150_000_000_000_000_000n);
  });

  it('agrees with bigint arithmetic on every bucket, for every model, around the boundary', () => {
    const catalog = defaultModelCatalog();
    let seed = 11;
    const next = (limit: number) => {
      seed = (seed * 48271) % 2147483647;
      return Math.floor((seed / 2147483647) * limit);
    };
    for (const model of catalog.models) {
      if (!model.pricing) continue;
      for (const scale of [1_000, 1_000_000, 60_000_000, 200_000_000]) {
        const usage = {
          input_tokens: next(scale),
          cache_creation_input_tokens: 0,
          cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
          cache_read_input_tokens: next(scale),
          output_tokens: next(scale),
          server_tool_use: { web_search_requests: next(100) },
        };
        usage.cache_creation.ephemeral_5m_input_tokens = next(scale);
        usage.cache_creation.ephemeral_1h_input_tokens = next(scale);
        usage.cache_creation_input_tokens =
          usage.cache_creation.ephemeral_5m_input_tokens +
          usage.cache_creation.ephemeral_1h_input_tokens;
        const cost = computeCost({ model: model.id, usage, catalog }) as PricedCost;
        let total = 0n;
        for (const bucket of [
          'input',
          'cacheWrite5m',
          'cacheWrite1h',
          'cacheRead',
          'output',
        ] as const) {
          const { tokens, picoUsdPerToken, picoUsd } = cost.breakdown[bucket];
          expect(picoUsd).toBe(BigInt(tokens) * picoUsdPerToken);
          total += picoUsd;
        }
        const { requests, picoUsdPerRequest } = cost.breakdown.webSearch;
        total += BigInt(requests) * picoUsdPerRequest;
        expect(cost.picoUsd).toBe(total);
        expect(cost.usdText).toBe(formatPicoUsd(total));
        expect(cost.usd).toBe(Number(formatPicoUsd(total)));
      }
    }
  });
});

describe('costToJson', () => {
  it('turns picodollar bigints into decimal text so the cost survives JSON', () => {
    const cost = computeCost({
      model: 'claude-sonnet-4-6',
      usage: { input_tokens: 2095, output_tokens: 503 },
    });
    expect(() => JSON.stringify(cost)).toThrow(TypeError);
    // 2095 × $3 + 503 × $15 per MTok = $0.01383
    expect(costToJson(cost)).toMatchObject({
      priced: true,
      picoUsd: '13830000000',
      usdText: '0.01383',
      breakdown: { output: { tokens: 503, picoUsdPerToken: '15000000', picoUsd: '7545000000' } },
    });
  });
});
