import { defaultModelCatalog } from '@keel/models';
import { describe, expect, it } from 'vitest';
import {
  decideSamplingParameters,
  describeDroppedSamplingParameters,
  samplingRule,
} from './sampling-parameters.ts';

const catalog = defaultModelCatalog();
const accepting = catalog.get('claude-haiku-4-5');
const defaultsOnly = catalog.get('claude-sonnet-5-5');

describe('decideSamplingParameters', () => {
  it('sends nothing under 2026-10-21, whatever the model, and reports non-default values', () => {
    for (const model of [accepting, defaultsOnly, undefined]) {
      const decision = decideSamplingParameters({
        apiVersion: '2026-10-21',
        model,
        parameters: { temperature: 0.2, top_p: 0.9, top_k: 5 },
      });
      expect(decision).toEqual({
        rule: 'none',
        send: {},
        dropped: [
          { name: 'temperature', value: 0.2, reason: 'api_version' },
          { name: 'top_p', value: 0.9, reason: 'api_version' },
          { name: 'top_k', value: 5, reason: 'api_version' },
        ],
      });
    }
  });

  it('leaves the default temperature out silently: sending it is a 400, omitting it changes nothing', () => {
    const decision = decideSamplingParameters({
      apiVersion: '2026-10-21',
      model: accepting,
      parameters: { temperature: 1 },
    });
    expect(decision.send).toEqual({});
    expect(decision.dropped).toEqual([]);
  });

  it('under 2023-06-01 sends what the model accepts and drops non-defaults on defaults-only models', () => {
    expect(
      decideSamplingParameters({
        apiVersion: '2023-06-01',
        model: accepting,
        parameters: { temperature: 0.2, top_k: 5 },
      }),
    ).toEqual({ rule: 'any', send: { temperature: 0.2, top_k: 5 }, dropped: [] });
    expect(
      decideSamplingParameters({
        apiVersion: '2023-06-01',
        model: defaultsOnly,
        parameters: { temperature: 0.2, top_p: 0.9 },
      }),
    ).toEqual({
      rule: 'defaults-only',
      send: {},
      dropped: [
        { name: 'temperature', value: 0.2, reason: 'model' },
        { name: 'top_p', value: 0.9, reason: 'model' },
      ],
    });
  });

  it('gives a model missing from the catalog the benefit under 2023-06-01 (the API decides)', () => {
    expect(samplingRule({ apiVersion: '2023-06-01', model: undefined })).toBe('any');
    expect(samplingRule({ apiVersion: '2026-10-21', model: undefined })).toBe('none');
  });

  it('says what is not sent, why and what to do', () => {
    expect(
      describeDroppedSamplingParameters({
        dropped: [{ name: 'temperature', value: 0.2, reason: 'api_version' }],
        model: 'claude-haiku-4-5',
        apiVersion: '2026-10-21',
      }),
    ).toBe(
      'temperature 0.2 not sent to claude-haiku-4-5: API version 2026-10-21 has no sampling parameters (the API answers 400 to them); remove it, or send anthropic-version 2023-06-01 to a model that accepts it',
    );
    expect(
      describeDroppedSamplingParameters({
        dropped: [{ name: 'temperature', value: 0.2, reason: 'model' }],
        model: 'claude-sonnet-5-5',
        apiVersion: '2023-06-01',
      }),
    ).toMatch(/claude-sonnet-5-5 accepts only default sampling parameters/);
  });
});
