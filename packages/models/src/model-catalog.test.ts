import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@keel/errors';
import {
  UnknownModelError,
  defaultCatalogPath,
  defaultModelCatalog,
  parseModelCatalog,
} from './index.ts';

const raw = () => JSON.parse(readFileSync(defaultCatalogPath, 'utf8'));

describe('model catalog', () => {
  it('holds the current lineup and the legacy models still served, by id and alias', () => {
    const catalog = defaultModelCatalog();
    for (const id of [
      'claude-fable-5-1',
      'claude-opus-5-5',
      'claude-sonnet-5-5',
      'claude-haiku-5-5',
    ]) {
      expect(catalog.get(id).lifecycle.status, id).toBe('active');
    }
    for (const id of ['claude-opus-5', 'claude-sonnet-5', 'claude-opus-4-6', 'claude-sonnet-4-6']) {
      expect(catalog.get(id).lifecycle.status, id).toBe('legacy');
    }
    expect(catalog.get('claude-haiku-4-5').id).toBe('claude-haiku-4-5-20251001');
    expect(catalog.get('claude-opus-4-5').id).toBe('claude-opus-4-5-20251101');
  });

  it('names a source and a date for every entry and price', () => {
    for (const model of defaultModelCatalog().models) {
      expect(model.sources.length, model.id).toBeGreaterThan(0);
      for (const source of model.sources) expect(source.url, model.id).toMatch(/^https:\/\//);
      expect(model.lifecycle.source, model.id).not.toBe('');
      if (model.pricing) expect(model.pricing.source, model.id).not.toBe('');
    }
  });

  it('carries list prices, cache rates and the Haiku 5.5 prompt tier', () => {
    const catalog = defaultModelCatalog();
    expect(catalog.get('claude-opus-5-5').pricing).toMatchObject({
      input: 4,
      output: 20,
      cacheWrite5m: 5,
      cacheWrite1h: 8,
      cacheRead: 0.2,
      batchDiscount: 0.5,
    });
    expect(catalog.get('claude-fable-5-1').pricing).toMatchObject({ input: 10, cacheRead: 0.25 });
    // Sonnet 5.5's cache read was cut from $0.20 to $0.10 on 2026-10-07.
    expect(catalog.get('claude-sonnet-5-5').pricing).toMatchObject({
      cacheRead: 0.1,
      asOf: '2026-10-07',
    });
    expect(catalog.get('claude-haiku-5-5').pricing).toMatchObject({
      input: 0.1,
      output: 0.5,
      cacheWrite5m: 0.125,
      cacheWrite1h: 0.2,
      longContext: { thresholdInputTokens: 100_000, input: 0.5, output: 2.5, beta: null },
    });
  });

  it('knows the newer tokenizer and the adaptive-only, always-thinking models', () => {
    const catalog = defaultModelCatalog();
    expect(catalog.get('claude-haiku-5-5').tokenizer).toBe('claude-4-7');
    expect(catalog.get('claude-opus-4-7').tokenizer).toBe('claude-4-7');
    expect(catalog.get('claude-opus-4-6').tokenizer).toBe('claude-3');
    for (const id of ['claude-fable-5-1', 'claude-opus-5-5']) {
      expect(catalog.get(id).capabilities, id).toMatchObject({
        thinking: { enabled: false, adaptive: true, alwaysOn: true },
        forcedToolChoice: false,
        prefill: false,
        samplingParameters: 'defaults-only',
      });
    }
    expect(catalog.get('claude-opus-5-5').capabilities.defaultEffort).toBe('medium');
    expect(catalog.get('claude-sonnet-5-5').capabilities.defaultEffort).toBe('high');
    expect(catalog.get('claude-haiku-4-5').capabilities).toMatchObject({
      effort: [],
      defaultEffort: null,
      prefill: true,
      samplingParameters: 'any',
    });
  });

  it('knows which models are retired on a date, and keeps them priced', () => {
    const catalog = defaultModelCatalog();
    expect(catalog.isRetired('claude-sonnet-4-5', '2026-11-29')).toBe(false);
    expect(catalog.isRetired('claude-sonnet-4-5', '2026-11-30')).toBe(true);
    expect(catalog.get('claude-sonnet-4-5').pricing?.input).toBe(3);
    expect(catalog.isRetired('claude-sonnet-4-0', '2026-06-15')).toBe(true);
    expect(catalog.isRetired('claude-sonnet-5-5', '2030-01-01')).toBe(false);
    expect(catalog.isServedWithoutNotice('claude-sonnet-5', '2026-12-06')).toBe(true);
    expect(catalog.isServedWithoutNotice('claude-sonnet-4-5', '2026-10-01')).toBe(false);
  });

  it('lists newest first', () => {
    const ids = defaultModelCatalog()
      .listNewestFirst()
      .map((m) => m.id);
    expect(ids[0]).toBe('claude-fable-5-2');
    expect(ids.indexOf('claude-haiku-5-5')).toBeLessThan(ids.indexOf('claude-opus-5-5'));
    expect(ids.at(-1)).toBe('claude-sonnet-4-20250514');
  });

  it('throws a typed error for an unknown model', () => {
    expect(() => defaultModelCatalog().get('gpt-4')).toThrow(UnknownModelError);
  });

  it('names the file and field of a broken catalog', () => {
    const data = raw();
    data.models[1].pricing.input = -1;
    let error: unknown;
    try {
      parseModelCatalog(data, 'models.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details.issues[0]).toMatch(/^models\.1\.pricing\.input/);
    expect((error as ValidationError).message).toMatch(/models\.json/);
  });

  it('rejects a duplicated alias', () => {
    const data = raw();
    data.models[0].aliases = ['claude-sonnet-5-5'];
    expect(() => parseModelCatalog(data)).toThrow(/listed twice/);
  });
});
