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
  it('holds the models the seeds name, resolvable by id and alias', () => {
    const catalog = defaultModelCatalog();
    for (const id of [
      'claude-opus-4-6',
      'claude-sonnet-4-6',
      'claude-haiku-4-5-20251001',
      'claude-haiku-4-5',
      'claude-opus-4-5',
      'claude-opus-4-1',
      'claude-sonnet-4-5',
      'claude-sonnet-4-0',
    ]) {
      expect(catalog.find(id), id).toBeDefined();
    }
    expect(catalog.get('claude-haiku-4-5').id).toBe('claude-haiku-4-5-20251001');
  });

  it('carries list prices with a source and date', () => {
    const sonnet = defaultModelCatalog().get('claude-sonnet-4-6');
    expect(sonnet.pricing).toMatchObject({
      input: 3,
      output: 15,
      cacheWrite5m: 3.75,
      cacheRead: 0.3,
    });
    expect(sonnet.pricing?.source).toMatch(/pricing/);
    expect(sonnet.minCacheableTokens).toBe(2048);
  });

  it('knows which models are retired on a date', () => {
    const catalog = defaultModelCatalog();
    expect(catalog.isRetired('claude-sonnet-4-0', '2026-06-14')).toBe(false);
    expect(catalog.isRetired('claude-sonnet-4-0', '2026-06-15')).toBe(true);
    expect(catalog.isRetired('claude-sonnet-4-6', '2030-01-01')).toBe(false);
  });

  it('lists newest first', () => {
    const ids = defaultModelCatalog()
      .listNewestFirst()
      .map((m) => m.id);
    expect(ids[0]).toBe('claude-sonnet-4-6');
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
    data.models[0].aliases = ['claude-sonnet-4-6'];
    expect(() => parseModelCatalog(data)).toThrow(/listed twice/);
  });
});
