import { describe, expect, it } from 'vitest';
import { AdjustableClock } from '../clock.ts';
import { EmulatorState } from '../emulator-state.ts';
import { countTokensFor, planCache, prepareMessageRequest } from '../messages/create-message.ts';
import { requestFramingTokens } from '../messages/prompt-layout.ts';
import type { CacheUsage } from './prompt-cache.ts';
import { CacheStore } from './cache-store.ts';

/** Sonnet 4.6 caches prefixes of 2048 tokens or more. */
const model = 'claude-sonnet-4-6';
const longText = (words: number, seed = 'context') =>
  Array.from({ length: words }, (_, i) => `${seed}${i % 97}`).join(' ');

function setup() {
  const clock = new AdjustableClock(() => Date.UTC(2026, 2, 1));
  const state = new EmulatorState({ clock });
  /** Plans and commits one request, returning its usage split. */
  const send = (
    body: Record<string, unknown>,
    apiKey = 'key-a',
  ): CacheUsage & { total: number } => {
    const prepared = prepareMessageRequest(state, { model, max_tokens: 100, ...body });
    const plan = planCache(state, prepared, apiKey);
    plan.commit();
    return { ...plan.usage, total: prepared.layout.totalTokens };
  };
  return { clock, state, send };
}

const cachedSystem = (ttl?: '5m' | '1h', text = longText(3000)) => [
  { type: 'text', text, cache_control: ttl ? { type: 'ephemeral', ttl } : { type: 'ephemeral' } },
];
const ask = (question: string) => [{ role: 'user', content: question }];

describe('prompt cache accounting', () => {
  it('writes a marked prefix, then reads it; input is what follows the breakpoint', () => {
    const { send } = setup();
    const first = send({ system: cachedSystem(), messages: ask('What is in the document?') });
    expect(first.cacheWrite5mTokens).toBeGreaterThanOrEqual(2048);
    expect(first.cacheReadInputTokens).toBe(0);
    expect(first.inputTokens).toBe(first.total - first.cacheWrite5mTokens);
    const second = send({ system: cachedSystem(), messages: ask('Summarise it, please.') });
    expect(second.cacheReadInputTokens).toBe(first.cacheWrite5mTokens);
    expect(second.cacheWrite5mTokens + second.cacheWrite1hTokens).toBe(0);
    expect(second.inputTokens + second.cacheReadInputTokens).toBe(second.total);
  });

  it('expires a 5-minute entry on the clock, and a hit renews it', () => {
    const { clock, send } = setup();
    const body = { system: cachedSystem(), messages: ask('Hello') };
    send(body);
    clock.advance(4 * 60_000);
    expect(send(body).cacheReadInputTokens).toBeGreaterThan(0);
    clock.advance(4 * 60_000);
    expect(send(body).cacheReadInputTokens).toBeGreaterThan(0);
    clock.advance(5 * 60_000 + 1);
    const expired = send(body);
    expect(expired.cacheReadInputTokens).toBe(0);
    expect(expired.cacheWrite5mTokens).toBeGreaterThan(0);
  });

  it('keeps a 1-hour entry past five minutes and reports it as a 1h write', () => {
    const { clock, send } = setup();
    const body = { system: cachedSystem('1h'), messages: ask('Hello') };
    const first = send(body);
    expect(first.cacheWrite1hTokens).toBeGreaterThan(0);
    expect(first.cacheWrite5mTokens).toBe(0);
    clock.advance(50 * 60_000);
    expect(send(body).cacheReadInputTokens).toBe(first.cacheWrite1hTokens);
    clock.advance(60 * 60_000 + 1);
    expect(send(body).cacheReadInputTokens).toBe(0);
  });

  it('does not cache a prefix below the model minimum', () => {
    const { send } = setup();
    // About 1,500 tokens: below Haiku 4.5's 4,096-token minimum.
    const short = send({
      model: 'claude-haiku-4-5',
      system: cachedSystem('5m', longText(500)),
      messages: ask('Hi'),
    });
    expect(short).toMatchObject({
      cacheReadInputTokens: 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
    });
    expect(short.inputTokens).toBe(short.total);
    // The same prefix is enough for a model with a 1024-token minimum.
    const { state } = setup();
    const prepared = prepareMessageRequest(state, {
      model: 'claude-sonnet-4-5',
      max_tokens: 10,
      system: cachedSystem('5m', longText(1500)),
      messages: ask('Hi'),
    });
    expect(planCache(state, prepared, 'k').usage.cacheWrite5mTokens).toBeGreaterThan(1024);
  });

  it('splits mixed TTLs: 1h up to the 1h breakpoint, 5m from there to the last one', () => {
    const { send } = setup();
    const messages = [
      {
        role: 'user',
        content: [
          { type: 'text', text: longText(2500, 'turn'), cache_control: { type: 'ephemeral' } },
        ],
      },
    ];
    const first = send({ system: cachedSystem('1h'), messages });
    expect(first.cacheWrite1hTokens).toBeGreaterThan(2048);
    expect(first.cacheWrite5mTokens).toBeGreaterThan(2000);
    expect(first.cacheWrite1hTokens + first.cacheWrite5mTokens + first.inputTokens).toBe(
      first.total,
    );
    // Same system, different last turn: the 1h prefix is read, the rest written for 5m.
    const second = send({
      system: cachedSystem('1h'),
      messages: [
        {
          ...messages[0],
          content: [{ ...messages[0]!.content[0]!, text: longText(2500, 'other') }],
        },
      ],
    });
    expect(second.cacheReadInputTokens).toBe(first.cacheWrite1hTokens);
    expect(second.cacheWrite1hTokens).toBe(0);
    expect(second.cacheWrite5mTokens).toBeGreaterThan(2000);
  });

  it('follows a growing conversation with automatic caching, reading the previous turn', () => {
    const { send } = setup();
    const history: Array<{ role: string; content: string }> = [
      { role: 'user', content: longText(2500) },
    ];
    const first = send({ cache_control: { type: 'ephemeral' }, messages: history });
    // Everything but the framing that closes the prompt, after the last breakpoint.
    expect(first.cacheWrite5mTokens).toBe(first.total - requestFramingTokens);
    expect(first.inputTokens).toBe(requestFramingTokens);
    history.push(
      { role: 'assistant', content: 'Noted.' },
      { role: 'user', content: 'Next question?' },
    );
    const second = send({ cache_control: { type: 'ephemeral' }, messages: history });
    expect(second.cacheReadInputTokens).toBe(first.total - requestFramingTokens);
    expect(second.cacheWrite5mTokens).toBe(second.total - first.total);
    expect(second.inputTokens).toBe(requestFramingTokens);
  });

  it('looks back at most 20 blocks from a breakpoint for an earlier entry', () => {
    const { send } = setup();
    const blocks = (count: number) => [
      { type: 'text', text: longText(2500) },
      ...Array.from({ length: count }, (_, i) => ({ type: 'text', text: `note ${i}` })),
    ];
    const mark = (content: Array<Record<string, unknown>>) =>
      content.map((block, i) =>
        i === content.length - 1 ? { ...block, cache_control: { type: 'ephemeral' } } : block,
      );
    send({ messages: [{ role: 'user', content: mark(blocks(0)) }] });
    // 19 blocks later the entry is the 20th block back: found.
    expect(
      send({ messages: [{ role: 'user', content: mark(blocks(19)) }] }).cacheReadInputTokens,
    ).toBeGreaterThan(0);
    const { send: fresh } = setup();
    fresh({ messages: [{ role: 'user', content: mark(blocks(0)) }] });
    // 20 blocks later it is out of reach: a full write.
    const missed = fresh({ messages: [{ role: 'user', content: mark(blocks(20)) }] });
    expect(missed.cacheReadInputTokens).toBe(0);
  });

  it('invalidates the messages cache, not the system cache, when tool_choice changes', () => {
    const { send } = setup();
    const tools = [{ name: 'lookup', input_schema: { type: 'object' } }];
    const messages = [
      {
        role: 'user',
        content: [
          { type: 'text', text: longText(2500, 'q'), cache_control: { type: 'ephemeral' } },
        ],
      },
    ];
    const body = { tools, system: cachedSystem(), messages };
    const first = send({ ...body, tool_choice: { type: 'auto' } });
    const again = send({ ...body, tool_choice: { type: 'auto' } });
    expect(again.cacheReadInputTokens).toBe(first.total - first.inputTokens);
    const changed = send({ ...body, tool_choice: { type: 'any' } });
    expect(changed.cacheReadInputTokens).toBeGreaterThan(0);
    expect(changed.cacheReadInputTokens).toBeLessThan(again.cacheReadInputTokens);
    // Changing a tool definition invalidates everything after it.
    const newTools = send({ ...body, tools: [{ ...tools[0], description: 'changed' }] });
    expect(newTools.cacheReadInputTokens).toBe(0);
  });

  it('keeps entries per API key', () => {
    const { send } = setup();
    const body = { system: cachedSystem(), messages: ask('Hello') };
    send(body, 'key-a');
    expect(send(body, 'key-b').cacheReadInputTokens).toBe(0);
    expect(send(body, 'key-a').cacheReadInputTokens).toBeGreaterThan(0);
  });

  it('counts the same total in count_tokens as input + cache writes + cache reads', () => {
    const { state, send } = setup();
    const body = { system: cachedSystem(), messages: ask('How long is this?') };
    const { inputTokens } = countTokensFor(state, { model, ...body });
    const first = send(body);
    const second = send(body);
    for (const usage of [first, second]) {
      expect(
        usage.inputTokens +
          usage.cacheWrite5mTokens +
          usage.cacheWrite1hTokens +
          usage.cacheReadInputTokens,
      ).toBe(inputTokens);
    }
  });
});

describe('CacheStore', () => {
  it('stays within its entry cap, dropping the least recently used', () => {
    const store = new CacheStore(3);
    for (const hash of ['a', 'b', 'c']) store.put('k', hash, 10, 60_000, 0);
    store.refresh('k', 'a', 1);
    store.put('k', 'd', 10, 60_000, 2);
    expect(store.size).toBe(3);
    expect(store.get('k', 'b', 3)).toBeUndefined();
    expect(store.get('k', 'a', 3)).toBeDefined();
  });

  it('drops expired entries first', () => {
    const store = new CacheStore(2);
    store.put('k', 'old', 10, 1_000, 0);
    store.put('k', 'live', 10, 60_000, 0);
    store.put('k', 'new', 10, 60_000, 5_000);
    expect(store.get('k', 'live', 5_000)).toBeDefined();
    expect(store.get('k', 'new', 5_000)).toBeDefined();
  });
});
