import { describe, expect, it } from 'vitest';
import { checkAssertion, fieldAt } from './check-assertion.ts';
import { parseGoldenSet } from './golden-case.ts';

describe('parseGoldenSet', () => {
  it('reads cases and names every bad line', () => {
    const cases = parseGoldenSet(
      '{"variables":{"text":"hi"},"assert":[{"type":"equals","value":"hi"}]}\n\n',
      'golden.jsonl',
    );
    expect(cases).toEqual([
      { id: 'case-1', variables: { text: 'hi' }, assert: [{ type: 'equals', value: 'hi' }] },
    ]);
    expect(() => parseGoldenSet('{"assert":[{"type":"nope"}]}\nnot json', 'golden.jsonl')).toThrow(
      /golden\.jsonl/,
    );
    try {
      parseGoldenSet('{"assert":[{"type":"nope"}]}\nnot json', 'golden.jsonl');
    } catch (error) {
      const issues = (error as { details: { issues: string[] } }).details.issues;
      expect(issues.some((issue) => issue.startsWith('line 1: assert.0'))).toBe(true);
      expect(issues).toContain('line 2: not JSON');
    }
  });
});

describe('checkAssertion', () => {
  const check = (assertion: Parameters<typeof checkAssertion>[0], output: string) =>
    checkAssertion(assertion, output, undefined).then((outcome) => outcome.pass);

  it('checks text, regex and JSON assertions', async () => {
    expect(await check({ type: 'equals', value: 'yes' }, ' yes\n')).toBe(true);
    expect(await check({ type: 'equals', value: 'yes' }, 'no')).toBe(false);
    expect(await check({ type: 'contains', value: 'OK', ignoreCase: true }, 'all ok')).toBe(true);
    expect(await check({ type: 'regex', pattern: '^\\d+$' }, '42')).toBe(true);
    expect(await check({ type: 'regex', pattern: '^\\d+$' }, '4x2')).toBe(false);
    const schema = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };
    expect(await check({ type: 'json-schema', schema }, '```json\n{"n":1}\n```')).toBe(true);
    expect(await check({ type: 'json-schema', schema }, '{"n":"1"}')).toBe(false);
    expect(await check({ type: 'json-schema', schema }, 'not json')).toBe(false);
    expect(await check({ type: 'json-field', path: 'a.0.b', equals: 2 }, '{"a":[{"b":2}]}')).toBe(
      true,
    );
    expect(await check({ type: 'json-field', path: 'a.0.b', equals: 3 }, '{"a":[{"b":2}]}')).toBe(
      false,
    );
  });

  it('fails a rubric without a judge, and uses the judge verdict and cost when given', async () => {
    expect(await check({ type: 'rubric', rubric: 'polite' }, 'hi')).toBe(false);
    const outcome = await checkAssertion({ type: 'rubric', rubric: 'polite' }, 'hi', async () => ({
      pass: true,
      reason: 'polite',
      costPicoUsd: 1_000_000_000n,
    }));
    expect(outcome).toMatchObject({ pass: true, costPicoUsd: 1_000_000_000n });
  });

  it('reads nested fields', () => {
    expect(fieldAt({ a: { b: [1, 2] } }, 'a.b.1')).toBe(2);
    expect(fieldAt({ a: 1 }, 'a.b')).toBeUndefined();
  });
});
