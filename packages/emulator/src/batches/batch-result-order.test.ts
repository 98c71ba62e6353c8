import Anthropic from '@anthropic-ai/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../index.ts';

/**
 * "Results in the file are not guaranteed to be in the same order as requests. Use the
 * `custom_id` field to match results to requests" (the SDK's `MessageBatch.results_url`). The
 * emulator shuffles them, seeded, so code that matches by position fails offline as it would
 * online, and a failing run can be replayed.
 */

const started: EmulatorHandle[] = [];
afterAll(() => Promise.all(started.map((emulator) => emulator.close())));

const customIds = Array.from({ length: 10 }, (_, index) => `req-${index}`);

/** Runs one batch of ten requests on a fresh emulator and returns the result lines in file order. */
async function resultLines(options: EmulatorOptions) {
  const emulator = await startEmulator(options);
  started.push(emulator);
  const client = new Anthropic({ apiKey: 'order-key', baseURL: emulator.url, maxRetries: 0 });
  const batch = await client.messages.batches.create({
    requests: customIds.map((custom_id, index) => ({
      custom_id,
      params: {
        model: 'claude-opus-5-5',
        max_tokens: 32,
        messages: [{ role: 'user', content: `Say the number ${index}.` }],
      },
    })),
  });
  let ended = batch;
  for (let attempt = 0; attempt < 400 && ended.processing_status !== 'ended'; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    ended = await client.messages.batches.retrieve(batch.id);
  }
  expect(ended).toMatchObject({
    processing_status: 'ended',
    request_counts: { processing: 0, succeeded: 10, errored: 0, canceled: 0, expired: 0 },
  });
  expect(ended.ended_at).not.toBeNull();
  expect(ended.results_url).toBe(`${emulator.url}/v1/messages/batches/${batch.id}/results`);
  const lines = [];
  for await (const line of await client.messages.batches.results(batch.id)) lines.push(line);
  return lines;
}

describe('batch result order', () => {
  it('is shuffled, the same for the same seed and different for another', async () => {
    const lines = await resultLines({ seed: 42 });
    const order = lines.map((line) => line.custom_id);
    expect([...order].sort()).toEqual([...customIds].sort());
    expect(order).not.toEqual(customIds);
    for (const line of lines) {
      expect(line.result.type).toBe('succeeded');
      if (line.result.type === 'succeeded')
        expect(line.result.message.usage.service_tier).toBe('batch');
    }
    expect((await resultLines({ seed: 42 })).map((line) => line.custom_id)).toEqual(order);
    expect((await resultLines({ seed: 43 })).map((line) => line.custom_id)).not.toEqual(order);
  });

  it('keeps request order when configured to', async () => {
    const lines = await resultLines({ batchResultOrder: 'request' });
    expect(lines.map((line) => line.custom_id)).toEqual(customIds);
  });
});
