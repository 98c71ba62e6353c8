import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from '../index.ts';

let emulator: EmulatorHandle;
let client: Anthropic;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new Anthropic({ apiKey: 'test-key', baseURL: emulator.url, maxRetries: 0 });
});
afterAll(() => emulator.close());

describe('the official SDK against the emulator', () => {
  it('creates a message', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    expect(message.type).toBe('message');
    expect(message.content[0]?.type).toBe('text');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.input_tokens).toBeGreaterThan(0);
  });

  it('streams a message', async () => {
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Stream this please' }],
    });
    let text = '';
    stream.on('text', (delta) => (text += delta));
    const final = await stream.finalMessage();
    expect(final.content[0]?.type === 'text' && final.content[0].text).toBe(text);
    expect(final.stop_reason).toBe('end_turn');
  });

  it('maps an unknown model to NotFoundError', async () => {
    await expect(
      client.messages.create({
        model: 'claude-nope',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('maps a rejected key to AuthenticationError', async () => {
    const locked = await startEmulator({ apiKeys: ['right-key'] });
    try {
      const wrong = new Anthropic({ apiKey: 'wrong-key', baseURL: locked.url, maxRetries: 0 });
      await expect(
        wrong.messages.create({
          model: 'claude-sonnet-4-6',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'x' }],
        }),
      ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    } finally {
      await locked.close();
    }
  });
});
