import Anthropic from '@anthropic-ai/sdk';
import type {
  MessageBatch,
  MessageBatchIndividualResponse,
} from '@anthropic-ai/sdk/resources/messages/batches';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdjustableClock, startEmulator, type EmulatorHandle } from '../index.ts';

const dayMs = 24 * 60 * 60 * 1000;
const params = (text: string, model = 'claude-sonnet-4-6') => ({
  model,
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: text }],
});

let emulator: EmulatorHandle;
let client: Anthropic;
/** An emulator whose batches wait 10 minutes (by its clock) before processing. */
let slow: EmulatorHandle;
let slowClock: AdjustableClock;
let slowClient: Anthropic;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new Anthropic({ apiKey: 'batch-key', baseURL: emulator.url, maxRetries: 0 });
  slowClock = new AdjustableClock();
  slow = await startEmulator({ clock: slowClock, batchProcessingDelayMs: 10 * 60 * 1000 });
  slowClient = new Anthropic({ apiKey: 'batch-key', baseURL: slow.url, maxRetries: 0 });
});
afterAll(async () => {
  await emulator.close();
  await slow.close();
});

async function waitForEnd(sdk: Anthropic, id: string): Promise<MessageBatch> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const batch = await sdk.messages.batches.retrieve(id);
    if (batch.processing_status === 'ended') return batch;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`batch ${id} did not end`);
}

async function resultsOf(sdk: Anthropic, id: string) {
  const byId = new Map<string, MessageBatchIndividualResponse['result']>();
  for await (const line of await sdk.messages.batches.results(id))
    byId.set(line.custom_id, line.result);
  return byId;
}

describe('Message Batches through the official SDK', () => {
  it('creates a batch, processes it asynchronously and serves JSONL results', async () => {
    const created = await client.messages.batches.create({
      requests: [
        { custom_id: 'first', params: params('Hello batch') },
        { custom_id: 'second', params: params('Another one') },
        { custom_id: 'bad-model', params: params('x', 'claude-nope') },
      ],
    });
    expect(created).toMatchObject({
      type: 'message_batch',
      processing_status: 'in_progress',
      request_counts: { processing: 3, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: null,
      results_url: null,
      cancel_initiated_at: null,
    });
    expect(created.id).toMatch(/^msgbatch_/);
    expect(Date.parse(created.expires_at) - Date.parse(created.created_at)).toBe(dayMs);

    const ended = await waitForEnd(client, created.id);
    expect(ended.request_counts).toEqual({
      processing: 0,
      succeeded: 2,
      errored: 1,
      canceled: 0,
      expired: 0,
    });
    expect(ended.ended_at).not.toBeNull();
    expect(ended.results_url).toBe(`${emulator.url}/v1/messages/batches/${created.id}/results`);

    const results = await resultsOf(client, created.id);
    const first = results.get('first')!;
    expect(first.type).toBe('succeeded');
    if (first.type !== 'succeeded') throw new Error('unreachable');
    expect(first.message.type).toBe('message');
    expect(first.message.usage.service_tier).toBe('batch');
    expect(first.message.content[0]?.type).toBe('text');
    const bad = results.get('bad-model')!;
    expect(bad).toMatchObject({
      type: 'errored',
      error: { type: 'error', error: { type: 'not_found_error' } },
    });
  });

  it('serves results with a binary content type and one line per request', async () => {
    const created = await client.messages.batches.create({
      requests: [{ custom_id: 'only', params: params('hi') }],
    });
    const ended = await waitForEnd(client, created.id);
    const response = await fetch(ended.results_url!, {
      headers: { 'x-api-key': 'batch-key', 'anthropic-version': '2023-06-01' },
    });
    expect(response.headers.get('content-type')).toBe('application/binary');
    const lines = (await response.text()).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      custom_id: 'only',
      result: { type: 'succeeded' },
    });
  });

  it('validates the envelope up front', async () => {
    const invalid = [
      { requests: [] },
      {
        requests: [
          { custom_id: 'same', params: params('a') },
          { custom_id: 'same', params: params('b') },
        ],
      },
      { requests: [{ custom_id: 'streamy', params: { ...params('a'), stream: true } }] },
      { requests: [{ custom_id: '', params: params('a') }] },
      { requests: [{ custom_id: 'has space', params: params('a') }] },
      { requests: [{ custom_id: 'no-params' }] },
    ];
    for (const body of invalid) {
      await expect(
        client.messages.batches.create(body as never),
        JSON.stringify(body).slice(0, 80),
      ).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    }
  });

  it('refuses more than 100,000 requests', async () => {
    const requests = Array.from({ length: 100_001 }, (_, index) => ({
      custom_id: `r${index}`,
      params: { model: 'claude-sonnet-4-6', max_tokens: 1, messages: [] },
    }));
    const response = await fetch(`${emulator.url}/v1/messages/batches`, {
      method: 'POST',
      headers: {
        'x-api-key': 'batch-key',
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ requests }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /100000/,
    );
  });

  it('cancels: canceling first, then every unprocessed request ends canceled', async () => {
    const created = await slowClient.messages.batches.create({
      requests: [
        { custom_id: 'a', params: params('a') },
        { custom_id: 'b', params: params('b') },
      ],
    });
    const canceling = await slowClient.messages.batches.cancel(created.id);
    expect(canceling.processing_status).toBe('canceling');
    expect(canceling.cancel_initiated_at).not.toBeNull();
    expect(canceling.request_counts.processing).toBe(2);

    const ended = await waitForEnd(slowClient, created.id);
    expect(ended.request_counts).toMatchObject({ canceled: 2, processing: 0, succeeded: 0 });
    const results = await resultsOf(slowClient, created.id);
    expect(results.get('a')).toEqual({ type: 'canceled' });
    expect(results.get('b')).toEqual({ type: 'canceled' });

    await expect(slowClient.messages.batches.cancel(created.id)).rejects.toBeInstanceOf(
      Anthropic.BadRequestError,
    );
  });

  it('deletes only an ended batch', async () => {
    const created = await slowClient.messages.batches.create({
      requests: [{ custom_id: 'a', params: params('a') }],
    });
    await expect(slowClient.messages.batches.delete(created.id)).rejects.toBeInstanceOf(
      Anthropic.BadRequestError,
    );
    await slowClient.messages.batches.cancel(created.id);
    await waitForEnd(slowClient, created.id);
    const deleted = await slowClient.messages.batches.delete(created.id);
    expect(deleted).toEqual({ id: created.id, type: 'message_batch_deleted' });
    await expect(slowClient.messages.batches.retrieve(created.id)).rejects.toBeInstanceOf(
      Anthropic.NotFoundError,
    );
  });

  it('waits for the processing delay by the emulator clock, not the wall clock', async () => {
    const created = await slowClient.messages.batches.create({
      requests: [{ custom_id: 'later', params: params('later') }],
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await slowClient.messages.batches.retrieve(created.id)).processing_status).toBe(
      'in_progress',
    );
    slowClock.advance(10 * 60 * 1000);
    const ended = await waitForEnd(slowClient, created.id);
    expect(ended.request_counts.succeeded).toBe(1);
  });

  it('expires a batch still unprocessed 24 hours after creation', async () => {
    const created = await slowClient.messages.batches.create({
      requests: [
        { custom_id: 'x', params: params('x') },
        { custom_id: 'y', params: params('y') },
      ],
    });
    slowClock.advance(dayMs);
    const ended = await slowClient.messages.batches.retrieve(created.id);
    expect(ended.processing_status).toBe('ended');
    expect(ended.request_counts).toMatchObject({ expired: 2, processing: 0 });
    const results = await resultsOf(slowClient, created.id);
    expect(results.get('x')).toEqual({ type: 'expired' });
  });

  it('refuses results before the batch has ended', async () => {
    const created = await slowClient.messages.batches.create({
      requests: [{ custom_id: 'a', params: params('a') }],
    });
    const response = await fetch(`${slow.url}/v1/messages/batches/${created.id}/results`, {
      headers: { 'x-api-key': 'batch-key', 'anthropic-version': '2023-06-01' },
    });
    expect(response.status).toBe(400);
    await expect(slowClient.messages.batches.results(created.id)).rejects.toThrow(/results_url/);
  });

  it('lists newest first with pagination, and keeps batches per API key', async () => {
    const owner = new Anthropic({ apiKey: 'list-key', baseURL: emulator.url, maxRetries: 0 });
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      const batch = await owner.messages.batches.create({
        requests: [{ custom_id: `n${index}`, params: params(`n${index}`) }],
      });
      ids.push(batch.id);
    }
    const firstPage = await owner.messages.batches.list({ limit: 2 });
    expect(firstPage.data.map((batch) => batch.id)).toEqual([ids[2], ids[1]]);
    expect(firstPage.has_more).toBe(true);
    const all: string[] = [];
    for await (const batch of owner.messages.batches.list({ limit: 2 })) all.push(batch.id);
    expect(all).toEqual([...ids].reverse());

    const stranger = new Anthropic({ apiKey: 'other-key', baseURL: emulator.url, maxRetries: 0 });
    expect((await stranger.messages.batches.list()).data).toEqual([]);
    await expect(stranger.messages.batches.retrieve(ids[0]!)).rejects.toBeInstanceOf(
      Anthropic.NotFoundError,
    );
  });

  it('keeps serving other requests while a large batch is processed', async () => {
    const requests = Array.from({ length: 3000 }, (_, index) => ({
      custom_id: `big-${index}`,
      params: params(`request number ${index}`),
    }));
    const created = await client.messages.batches.create({ requests });
    const model = await client.models.retrieve('claude-sonnet-4-6');
    expect(model.id).toBe('claude-sonnet-4-6');
    const ended = await waitForEnd(client, created.id);
    expect(ended.request_counts.succeeded).toBe(3000);
    const results = await resultsOf(client, created.id);
    expect(results.size).toBe(3000);
  });
});
