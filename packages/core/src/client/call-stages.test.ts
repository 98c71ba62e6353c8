import type { Message } from '@anthropic-ai/sdk/resources/messages/messages';
import { defaultModelCatalog } from '@keel/models';
import { describe, expect, it } from 'vitest';
import { loadRoutingTable } from '../routing/routing-table.ts';
import { CallTimeoutError } from '../resilience/call-timeout-error.ts';
import { attemptBody } from './attempt-body.ts';
import { CallAbortedError } from './call-aborted-error.ts';
import { callLogLine, failureRecord } from './call-report.ts';
import { mapFailure, type StreamProgress } from './map-failure.ts';
import { prepareCall, type CallDefaults } from './prepare-call.ts';
import { StreamInterruptedError } from './stream-interrupted-error.ts';

const catalog = defaultModelCatalog();
const defaults: CallDefaults = {
  routing: loadRoutingTable({ environment: 'development', catalog }),
  catalog,
  resilience: {},
  idleTimeoutMs: 60_000,
  defaultAttemptTimeouts: true,
  tags: { feature: 'support-chat' },
  onTruncation: 'error',
  logContent: false,
  apiVersion: '2026-10-21',
};
const model = 'claude-haiku-4-5';
const request = {
  model,
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'Hello there' }],
};

function brokenStream(text: string): StreamProgress {
  const snapshot = {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text, citations: null }],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 50, output_tokens: 1 },
  } as unknown as Message;
  return { model, snapshot, requestId: 'req_1', attempts: 1 };
}

describe('prepareCall', () => {
  it('merges call tags over the defaults into a copy and keeps the chain unique', () => {
    const tags = { user: 'u1' };
    const prepared = prepareCall(
      request,
      { tags, fallbacks: [model, 'claude-sonnet-4-6'] },
      undefined,
      false,
      defaults,
    );
    expect(prepared.tags).toEqual({ feature: 'support-chat', user: 'u1' });
    expect(prepared.tags).not.toBe(tags);
    expect(prepared.chain).toEqual([model, 'claude-sonnet-4-6']);
    expect(prepared.signal).toBeUndefined();
  });

  it('joins the caller signal and the total timeout', () => {
    const caller = new AbortController();
    const prepared = prepareCall(
      request,
      { signal: caller.signal, totalTimeoutMs: 60_000 },
      undefined,
      true,
      defaults,
    );
    expect(prepared.signal?.aborted).toBe(false);
    caller.abort();
    expect(prepared.signal?.aborted).toBe(true);
  });
});

describe('attemptBody', () => {
  it('sends the attempt model, drops task and stream, and only the sendable sampling fields', () => {
    const prepared = prepareCall(
      { ...request, task: 'chat', temperature: 0.2, top_k: 5 },
      {},
      undefined,
      false,
      defaults,
    );
    const body = attemptBody(prepared, 'claude-sonnet-4-6', false, () => ({ top_k: 5 }));
    expect(body).toEqual({
      max_tokens: 100,
      messages: request.messages,
      model: 'claude-sonnet-4-6',
      stream: false,
      top_k: 5,
    });
  });
});

describe('mapFailure', () => {
  it('turns a stream broken after content into a resumable StreamInterruptedError with partial cost', () => {
    const prepared = prepareCall(request, {}, undefined, true, defaults);
    const failure = mapFailure({
      prepared,
      error: new Error('socket hang up'),
      progress: brokenStream('Half an answer'),
      catalog,
      now: 0,
    });
    expect(failure.error).toBeInstanceOf(StreamInterruptedError);
    expect(failure.partial?.text).toBe('Half an answer');
    expect(failure.partial?.usage.partial).toBe(true);
    expect(failure.partial?.usage.output).toBeGreaterThan(1);
    expect(failure.partial?.cost.priced).toBe(true);
  });

  it("gives the caller's abort precedence over the failure, with what was spent", () => {
    const caller = new AbortController();
    const prepared = prepareCall(request, { signal: caller.signal }, undefined, true, defaults);
    caller.abort();
    const failure = mapFailure({
      prepared,
      error: new Error('aborted'),
      progress: brokenStream('Some'),
      catalog,
      now: 0,
    });
    expect(failure.error).toBeInstanceOf(CallAbortedError);
    expect((failure.error as CallAbortedError).cost?.priced).toBe(true);
    expect(failure.breakerFailure).toBeUndefined();
  });

  it('reports the total timeout as CallTimeoutError', async () => {
    const prepared = prepareCall(request, { totalTimeoutMs: 1 }, undefined, false, defaults);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const error = new Error('The operation was aborted');
    const failure = mapFailure({ prepared, error, progress: undefined, catalog, now: 0 });
    expect(failure.error).toBeInstanceOf(CallTimeoutError);
  });
});

describe('the record and the log line of a call', () => {
  it('derives the log line from the same record the ledger receives', () => {
    const prepared = prepareCall(request, { logContent: true }, undefined, true, defaults);
    const failure = mapFailure({
      prepared,
      error: new Error('socket hang up'),
      progress: brokenStream('Half an answer'),
      catalog,
      now: 0,
    });
    const record = failureRecord(prepared, failure, {
      retries: 2,
      requestId: 'req_1',
      firstContentAt: prepared.started + 12.3456,
    });
    expect(record).toMatchObject({
      status: 'error',
      errorCode: 'stream_interrupted',
      modelServed: model,
      retries: 2,
      requestId: 'req_1',
      tags: { feature: 'support-chat' },
    });
    const line = callLogLine(record, {
      prepared,
      error: failure.error,
      responseText: failure.partial!.text,
    });
    expect(line).toMatchObject({
      event: 'claude_call',
      status: 'stream_interrupted',
      modelRequested: model,
      modelServed: model,
      retries: 2,
      requestId: 'req_1',
      feature: 'support-chat',
      timeToFirstTokenMs: 12.346,
      tokens: { output: record.usage!.output, partial: true },
      costUsd: record.cost!.priced ? record.cost!.usdText : 'unpriced',
      error: failure.error.message,
      content: { request: 'Hello there', response: 'Half an answer' },
    });
    expect(line.outcome).toBeUndefined();
  });
});
