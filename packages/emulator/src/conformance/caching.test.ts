import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock, startEmulator, type EmulatorHandle } from '../index.ts';

let emulator: EmulatorHandle;
let clock: AdjustableClock;
let client: Anthropic;
const model = 'claude-sonnet-4-6';

/** A long, stable system prompt: well above Sonnet 4.6's 2048-token minimum. */
const manual = Array.from(
  { length: 3000 },
  (_, i) => `rule${i % 101} applies to section ${i % 13}`,
).join('. ');

const system = (ttl?: '5m' | '1h'): Anthropic.TextBlockParam[] => [
  {
    type: 'text',
    text: manual,
    cache_control: ttl ? { type: 'ephemeral', ttl } : { type: 'ephemeral' },
  },
];

function ask(question: string, extra: Partial<Anthropic.MessageCreateParamsNonStreaming> = {}) {
  return client.messages.create({
    model,
    max_tokens: 50,
    system: system(),
    messages: [{ role: 'user', content: question }],
    ...extra,
  });
}

beforeAll(async () => {
  clock = new AdjustableClock();
  emulator = await startEmulator({ clock });
  client = new Anthropic({ apiKey: 'cache-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

describe('prompt caching through the official SDK', () => {
  it('writes, reads, and expires on the clock', async () => {
    emulator.state.promptCache.clear();
    const first = await ask('What does rule 7 say?');
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThanOrEqual(2048);
    expect(first.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(
      first.usage.cache_creation_input_tokens,
    );
    expect(first.usage.cache_read_input_tokens).toBe(0);

    const second = await ask('And rule 8?');
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);

    clock.advance(5 * 60_000 + 1_000);
    const third = await ask('And rule 9?');
    expect(third.usage.cache_read_input_tokens).toBe(0);
    expect(third.usage.cache_creation_input_tokens).toBe(first.usage.cache_creation_input_tokens);
  });

  it('keeps a 1h entry past five minutes and bills it as a 1h write', async () => {
    emulator.state.promptCache.clear();
    const first = await ask('Rule 1?', { system: system('1h') });
    expect(first.usage.cache_creation?.ephemeral_1h_input_tokens).toBeGreaterThan(2048);
    expect(first.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(0);
    clock.advance(30 * 60_000);
    const later = await ask('Rule 2?', { system: system('1h') });
    expect(later.usage.cache_read_input_tokens).toBe(
      first.usage.cache_creation?.ephemeral_1h_input_tokens,
    );
  });

  it('does not cache below the model minimum, without error', async () => {
    const short = await ask('Hi', {
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    });
    expect(short.usage.cache_creation_input_tokens).toBe(0);
    expect(short.usage.cache_read_input_tokens).toBe(0);
  });

  it('refuses a fifth breakpoint and a 1h breakpoint after a 5m one', async () => {
    const block = (ttl: '5m' | '1h'): Anthropic.TextBlockParam => ({
      type: 'text',
      text: 'Part of the instructions.',
      cache_control: { type: 'ephemeral', ttl },
    });
    await expect(
      ask('x', { system: [block('5m'), block('5m'), block('5m'), block('5m'), block('5m')] }),
    ).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    await expect(
      ask('x', { system: [block('5m'), block('5m'), block('5m'), block('5m')] }),
    ).resolves.toMatchObject({ type: 'message' });
    await expect(ask('x', { system: [block('5m'), block('1h')] })).rejects.toBeInstanceOf(
      Anthropic.BadRequestError,
    );
  });

  it('reports cache usage in message_start of a stream, and count_tokens adds up', async () => {
    emulator.state.promptCache.clear();
    await ask('Warm the cache.');
    const stream = client.messages.stream({
      model,
      max_tokens: 50,
      system: system(),
      messages: [{ role: 'user', content: 'Which rule covers section 3?' }],
    });
    let startUsage: Anthropic.Usage | undefined;
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_start') startUsage = event.message.usage;
    });
    const final = await stream.finalMessage();
    expect(startUsage?.cache_read_input_tokens).toBeGreaterThan(2048);
    expect(final.usage.cache_read_input_tokens).toBe(startUsage?.cache_read_input_tokens);
    const counted = await client.messages.countTokens({
      model,
      system: system(),
      messages: [{ role: 'user', content: 'Which rule covers section 3?' }],
    });
    const usage = final.usage;
    expect(
      usage.input_tokens +
        (usage.cache_creation_input_tokens ?? 0) +
        (usage.cache_read_input_tokens ?? 0),
    ).toBe(counted.input_tokens);
  });

  it('follows a conversation with top-level automatic caching', async () => {
    emulator.state.promptCache.clear();
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: manual }];
    const first = await client.messages.create({
      model,
      max_tokens: 50,
      cache_control: { type: 'ephemeral' },
      messages,
    });
    messages.push(
      { role: 'assistant', content: first.content },
      { role: 'user', content: 'More?' },
    );
    const second = await client.messages.create({
      model,
      max_tokens: 50,
      cache_control: { type: 'ephemeral' },
      messages,
    });
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBeGreaterThan(0);
  });

  it('does not charge cache reads against the input-token rate limit', async () => {
    const limited = await startEmulator();
    try {
      const sdk = new Anthropic({ apiKey: 'itpm-key', baseURL: limited.url, maxRetries: 0 });
      const { input_tokens: size } = await sdk.messages.countTokens({
        model,
        system: system(),
        messages: [{ role: 'user', content: 'one' }],
      });
      // Room for one full prompt and a half: a second uncached one would not fit.
      limited.state.rateLimiter.configure({ inputTokensPerMinute: Math.round(size * 1.5) });
      const request = (question: string) =>
        sdk.messages.create({
          model,
          max_tokens: 20,
          system: system(),
          messages: [{ role: 'user', content: question }],
        });
      const first = await request('one');
      expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(2048);
      // Without the cache, this would need a whole prompt again from a half-empty bucket.
      await expect(request('two')).resolves.toMatchObject({ type: 'message' });
      limited.state.promptCache.clear();
      await expect(request('three')).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    } finally {
      await limited.close();
    }
  });
});
