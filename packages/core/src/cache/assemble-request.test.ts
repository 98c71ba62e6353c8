import { describe, expect, it } from 'vitest';
import { assembleRequest } from './assemble-request.ts';
import { CacheBreakDetector, layerHashes } from './cache-break-detector.ts';
import { randomConversation } from '../context/random-conversation.ts';

const countTokens = (value: unknown) => Math.ceil(JSON.stringify(value).length / 4);
const system = 'You are the support assistant. '.repeat(400);
const tools = [
  {
    name: 'get_order_status',
    description: 'Status of an order',
    input_schema: { type: 'object' as const, properties: { order_id: { type: 'string' } } },
  },
];

function markers(request: ReturnType<typeof assembleRequest>): number {
  let count = 0;
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      if ('cache_control' in value && (value as { cache_control?: unknown }).cache_control) count++;
      Object.values(value).forEach(visit);
    }
  };
  visit([request.tools, request.system, request.messages]);
  return count;
}

describe('cache-aware assembly', () => {
  it('places breakpoints on system, the previous request end and the new end', () => {
    const messages = randomConversation(3, { turns: 8 });
    const request = assembleRequest({
      tools,
      system,
      messages,
      minCacheableTokens: 1024,
      countTokens,
    });
    expect(request.breakpoints.map((bp) => bp.layer)).toEqual(['system', 'history', 'history']);
    expect(request.breakpoints[1]!.position).toMatchObject({
      part: 'messages',
      index: messages.length - 3,
    });
    expect(request.breakpoints[2]!.position).toMatchObject({
      part: 'messages',
      index: messages.length - 1,
    });
    expect(markers(request)).toBe(3);
    // The caller's history is not mutated.
    expect(JSON.stringify(messages)).not.toContain('cache_control');
  });

  it('never exceeds four markers, even when the history already carries some', () => {
    const messages = randomConversation(5, { turns: 6 }).map((message) =>
      typeof message.content === 'string'
        ? {
            ...message,
            content: [
              {
                type: 'text' as const,
                text: message.content,
                cache_control: { type: 'ephemeral' as const },
              },
            ],
          }
        : message,
    );
    const request = assembleRequest({
      tools,
      system,
      pinned: [
        {
          type: 'document',
          source: { type: 'text', media_type: 'text/plain', data: 'Returns within 30 days.' },
          title: 'policy',
        },
      ],
      messages,
      minCacheableTokens: 1024,
      countTokens,
    });
    expect(markers(request)).toBe(4);
    expect(request.breakpoints.map((bp) => bp.layer)).toEqual([
      'system',
      'pinned',
      'history',
      'history',
    ]);
  });

  it('skips breakpoints on prefixes shorter than the model minimum', () => {
    const request = assembleRequest({
      system: 'short',
      messages: [{ role: 'user', content: 'hi' }],
      minCacheableTokens: 4096,
      countTokens,
    });
    expect(request.breakpoints).toEqual([]);
    expect(markers(request)).toBe(0);
  });

  it('uses the 1-hour TTL on stable layers when reuse is expected after five minutes', () => {
    const request = assembleRequest({
      tools,
      system,
      messages: randomConversation(9, { turns: 3 }),
      minCacheableTokens: 1024,
      countTokens,
      expectedReuseGapMs: 20 * 60_000,
    });
    expect(request.breakpoints[0]).toMatchObject({ layer: 'system', ttl: '1h' });
    expect(request.breakpoints.at(-1)).toMatchObject({ layer: 'history', ttl: '5m' });
  });

  it('names the layer that broke the cache and what it costs', () => {
    const detector = new CacheBreakDetector();
    const model = 'claude-sonnet-4-6';
    const messages = randomConversation(11, { turns: 4 });
    const first = assembleRequest({
      tools,
      system,
      messages,
      minCacheableTokens: 1024,
      countTokens,
    });
    expect(detector.check(layerHashes(first, 0), first.layerTokens, model)).toBeUndefined();
    const same = assembleRequest({
      tools,
      system,
      messages,
      minCacheableTokens: 1024,
      countTokens,
    });
    expect(detector.check(layerHashes(same, 0), same.layerTokens, model)).toBeUndefined();
    const changed = assembleRequest({
      tools,
      system: `${system} Today is Tuesday.`,
      messages,
      minCacheableTokens: 1024,
      countTokens,
    });
    const broken = detector.check(layerHashes(changed, 0), changed.layerTokens, model);
    expect(broken?.layer).toBe('system');
    expect(broken?.tokensRewritten).toBe(
      changed.layerTokens.system + changed.layerTokens.pinned + changed.layerTokens.history,
    );
    // Sonnet 4.6: a 5-minute write is $3.75/MTok and a read $0.30/MTok, so each rewritten token
    // costs $3.45/MTok more: 3,450,000 picodollars.
    expect(broken?.extraCostPicoUsd).toBe(BigInt(broken!.tokensRewritten) * 3_450_000n);
  });
});
