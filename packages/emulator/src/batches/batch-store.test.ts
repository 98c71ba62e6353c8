import { describe, expect, it } from 'vitest';
import { AdjustableClock } from '../clock.ts';
import { ApiError } from '../http/api-error.ts';
import { sequentialIdGenerator } from '../ids.ts';
import type { MessageResponse } from '../messages/response-types.ts';
import { BatchStore, type BatchItemProcessor } from './batch-store.ts';

const message = (text: string) => ({ id: text }) as unknown as MessageResponse;
const requests = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    custom_id: `r${index}`,
    params: { n: index },
  }));

function store(
  process: BatchItemProcessor,
  clock = new AdjustableClock(() => 1_000_000),
  order: { resultOrder?: 'shuffled' | 'request'; seed?: number } = { resultOrder: 'request' },
) {
  return new BatchStore({
    clock,
    ids: sequentialIdGenerator(),
    processingDelayMs: 0,
    process,
    sliceSize: 2,
    ...order,
  });
}

async function untilEnded(batches: BatchStore, id: string, apiKey = 'k') {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (batches.get(apiKey, id).ended) return batches.get(apiKey, id);
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('batch did not end');
}

const linesOf = (jsonl: string) =>
  jsonl
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { custom_id: string; result: { type: string } });

describe('BatchStore', () => {
  it('turns thrown ApiErrors into errored lines and anything else into api_error', async () => {
    const batches = store((params) => {
      if (params.n === 1) throw new ApiError('not_found_error', 'model: nope');
      if (params.n === 2) throw new Error('bug');
      return message(`m${String(params.n)}`);
    });
    const created = batches.create('k', requests(3));
    const ended = await untilEnded(batches, created.id);
    const lines = linesOf(ended.resultsJsonl());
    expect(lines.map((line) => line.result.type)).toEqual(['succeeded', 'errored', 'errored']);
    expect(lines[1]).toEqual({
      custom_id: 'r1',
      result: {
        type: 'errored',
        error: {
          type: 'error',
          error: { type: 'not_found_error', message: 'model: nope' },
          request_id: null,
        },
      },
    });
    expect(lines[2]!.result).toMatchObject({ error: { error: { type: 'api_error' } } });
    expect(ended.toJSON('http://h').request_counts).toEqual({
      processing: 0,
      succeeded: 1,
      errored: 2,
      canceled: 0,
      expired: 0,
    });
  });

  it('stops at the next slice when canceled mid-way; the rest end canceled', async () => {
    let id = '';
    let calls = 0;
    const batches: BatchStore = store(() => {
      calls++;
      if (calls === 3)
        expect(batches.cancel('k', id).toJSON('http://h').processing_status).toBe('canceling');
      return message('m');
    });
    id = batches.create('k', requests(7)).id;
    const ended = await untilEnded(batches, id);
    // Slices of two: the slice in which cancel happened completes, then processing stops.
    expect(calls).toBe(4);
    expect(ended.toJSON('http://h').request_counts).toMatchObject({ succeeded: 4, canceled: 3 });
    expect(ended.toJSON('http://h').cancel_initiated_at).not.toBeNull();
  });

  it('expires what is left when the clock passes expires_at during processing', async () => {
    const clock = new AdjustableClock(() => 0);
    let calls = 0;
    const batches = store(() => {
      if (++calls === 2) clock.advance(24 * 60 * 60 * 1000);
      return message('m');
    }, clock);
    const { id } = batches.create('k', requests(5));
    const ended = await untilEnded(batches, id);
    expect(ended.toJSON('http://h').request_counts).toMatchObject({ succeeded: 2, expired: 3 });
    expect(ended.toJSON('http://h').ended_at).toBe(new Date(24 * 60 * 60 * 1000).toISOString());
  });

  it('reports processing only, and no results_url, until the batch ends', () => {
    const batches = store(() => message('m'));
    const created = batches.create('k', requests(3));
    expect(created.toJSON('http://h')).toMatchObject({
      processing_status: 'in_progress',
      request_counts: { processing: 3, succeeded: 0 },
      results_url: null,
      created_at: new Date(1_000_000).toISOString(),
      expires_at: new Date(1_000_000 + 24 * 60 * 60 * 1000).toISOString(),
    });
    expect(() => created.resultsJsonl()).toThrow(ApiError);
    batches.close();
  });

  it('lists results in a seeded shuffled order by default, the same for the same seed', async () => {
    const idsInFile = async (seed: number) => {
      const batches = store(() => message('m'), undefined, { seed });
      const ended = await untilEnded(batches, batches.create('k', requests(12)).id);
      return linesOf(ended.resultsJsonl()).map((line) => line.custom_id);
    };
    const inRequestOrder = requests(12).map((request) => request.custom_id);
    const first = await idsInFile(7);
    expect([...first].sort()).toEqual([...inRequestOrder].sort());
    expect(first).not.toEqual(inRequestOrder);
    expect(await idsInFile(7)).toEqual(first);
    expect(await idsInFile(8)).not.toEqual(first);
  });
});
