import { describe, expect, it } from 'vitest';
import { assembleRequest } from './assemble-request.ts';
import { findCacheBreak, layerHashes } from './cache-break-detector.ts';
import { expectedCachedTokens } from './expected-cached-tokens.ts';
import { randomConversation } from '../context/random-conversation.ts';

const countTokens = (value: unknown) => Math.ceil(JSON.stringify(value).length / 4);
const system = 'You are the Acme Store support assistant. '.repeat(200);
const assembled = assembleRequest({
  system,
  messages: randomConversation(3, { turns: 4 }),
  minCacheableTokens: 1024,
  countTokens,
});
const previousEnd = assembled.breakpoints.find(
  (breakpoint) =>
    breakpoint.position.part === 'messages' &&
    breakpoint.position.index === assembled.messages.length - 3,
)!;
const systemEnd = assembled.breakpoints.find((breakpoint) => breakpoint.layer === 'system')!;

describe('tokens expected from the cache', () => {
  it('is the whole previous request when the history starts where it did', () => {
    expect(previousEnd).toBeDefined();
    expect(
      expectedCachedTokens({
        assembled,
        cacheBreak: undefined,
        hasPreviousRequest: true,
        sameStart: true,
      }),
    ).toBe(previousEnd.prefixTokens);
  });

  it('is the stable layers only once the history was trimmed further', () => {
    expect(
      expectedCachedTokens({
        assembled,
        cacheBreak: undefined,
        hasPreviousRequest: true,
        sameStart: false,
      }),
    ).toBe(systemEnd.prefixTokens);
    expect(systemEnd.prefixTokens).toBeLessThan(previousEnd.prefixTokens);
  });

  it('is nothing on the first request or after a cache break', () => {
    const options = { assembled, cacheBreak: undefined, sameStart: true };
    expect(expectedCachedTokens({ ...options, hasPreviousRequest: false })).toBe(0);
    const current = layerHashes(assembled, 0);
    const cacheBreak = findCacheBreak({
      previous: { ...current, system: 'an older system prompt' },
      current,
      layerTokens: assembled.layerTokens,
      model: 'claude-sonnet-4-6',
    });
    expect(cacheBreak?.layer).toBe('system');
    expect(expectedCachedTokens({ ...options, cacheBreak, hasPreviousRequest: true })).toBe(0);
  });

  it('finds no cache break without a previous request', () => {
    expect(
      findCacheBreak({
        previous: undefined,
        current: layerHashes(assembled, 0),
        layerTokens: assembled.layerTokens,
        model: 'claude-sonnet-4-6',
      }),
    ).toBeUndefined();
  });
});
