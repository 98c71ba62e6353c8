import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '@keel/protocol';
import type { StoredMessage } from '../api/api-types.ts';
import {
  applyChatEvent,
  endAnswer,
  startAnswer,
  turnsFromStored,
  type AssistantTurn,
} from './chat-turn.ts';

const play = (events: ChatEvent[]): AssistantTurn =>
  events.reduce(applyChatEvent, startAnswer('a1'));

describe('applyChatEvent', () => {
  it('interleaves text and tool activity in the order it streamed', () => {
    const turn = play([
      { type: 'status', mode: 'emulator', model: 'm', sessionId: 's' },
      { type: 'text-delta', text: 'Let me ' },
      { type: 'text-delta', text: 'check.' },
      { type: 'tool-start', name: 'get_order_status', input: { order_id: 'ORD-1' } },
      { type: 'text-delta', text: 'It has shipped.' },
    ]);
    expect(turn.parts).toEqual([
      { kind: 'text', text: 'Let me check.' },
      {
        kind: 'tool',
        name: 'get_order_status',
        input: { order_id: 'ORD-1' },
        state: 'running',
        summary: undefined,
      },
      { kind: 'text', text: 'It has shipped.' },
    ]);
    expect(turn.status).toBe('streaming');
  });

  it('ends the matching running tool, as done or as an error', () => {
    const turn = play([
      { type: 'tool-start', name: 'search_policies', input: {} },
      { type: 'tool-start', name: 'get_order_status', input: { order_id: 'ORD-2' } },
      { type: 'tool-end', name: 'get_order_status', isError: true, summary: 'No order ORD-2' },
    ]);
    expect(
      turn.parts.map((part) => part.kind === 'tool' && [part.name, part.state, part.summary]),
    ).toEqual([
      ['search_policies', 'running', undefined],
      ['get_order_status', 'error', 'No order ORD-2'],
    ]);
    expect(
      applyChatEvent(turn, {
        type: 'tool-end',
        name: 'search_policies',
        isError: false,
        summary: '2 found',
      }).parts[0],
    ).toMatchObject({
      state: 'done',
      summary: '2 found',
    });
  });

  it('tracks thinking, keeps citations once each, and records retries and usage', () => {
    const turn = play([
      { type: 'thinking-start' },
      { type: 'thinking-delta', thinking: 'The user asks' },
      { type: 'retry', attempt: 1, delayMs: 500, reason: 'overloaded' },
      { type: 'citation', source: 'knowledge/returns.md', title: 'Returns', quote: '30 days' },
      { type: 'citation', source: 'knowledge/returns.md', title: 'Returns', quote: '30 days' },
    ]);
    expect(turn.thinking).toEqual({ state: 'active', text: 'The user asks' });
    expect(turn.citations).toHaveLength(1);
    expect(turn.retries).toEqual([{ attempt: 1, delayMs: 500, reason: 'overloaded' }]);
    const ended = play([
      { type: 'thinking-start' },
      { type: 'thinking-end' },
      {
        type: 'usage',
        input: 10,
        output: 5,
        cacheRead: 30,
        cacheWrite: 0,
        costUsd: 0.0001,
        cacheHitRatio: 0.75,
        partial: false,
        calls: 1,
      },
      { type: 'done', outcome: 'completed', stopped: false },
    ]);
    expect(ended.thinking.state).toBe('done');
    expect(ended.usage).toMatchObject({ input: 10, cacheHitRatio: 0.75, costUsd: 0.0001 });
    expect(ended.status).toBe('complete');
  });

  it('marks a stopped answer incomplete and a failed one failed, with nothing left running', () => {
    const stopped = play([
      { type: 'tool-start', name: 'get_order_status', input: {} },
      { type: 'done', outcome: 'stopped', stopped: true },
    ]);
    expect(stopped.status).toBe('incomplete');
    expect(stopped.parts[0]).toMatchObject({ state: 'error' });
    const failed = play([
      { type: 'thinking-start' },
      { type: 'error', code: 'rate_limited', message: 'Too many', retryAfterSeconds: 12 },
    ]);
    expect(failed.status).toBe('failed');
    expect(failed.thinking.state).toBe('done');
    expect(failed.error).toEqual({
      code: 'rate_limited',
      message: 'Too many',
      retryAfterSeconds: 12,
    });
  });

  it('keeps how the answer ended and the words to show for it', () => {
    const notice = { title: 'Answer cut off', body: 'Ask the assistant to continue.' };
    const cut = play([
      { type: 'text-delta', text: 'Once upon a' },
      { type: 'done', outcome: 'truncated', stopped: false, notice },
    ]);
    expect(cut).toMatchObject({ status: 'complete', outcome: 'truncated', notice });
    const finished = play([{ type: 'done', outcome: 'completed', stopped: false }]);
    expect(finished).toMatchObject({ outcome: 'completed', notice: undefined });
    // A notice without words (a malformed event) shows nothing rather than an empty box.
    const malformed = play([
      { type: 'done', outcome: 'refused', stopped: false, notice: { title: 7 } as never },
    ]);
    expect(malformed.notice).toBeUndefined();
  });

  it('does not change the turn it was given', () => {
    const before = startAnswer('a');
    applyChatEvent(before, { type: 'text-delta', text: 'x' });
    expect(before.parts).toEqual([]);
  });

  it('marks an answer whose stream just ended as incomplete, and leaves finished ones alone', () => {
    const cut = endAnswer(play([{ type: 'text-delta', text: 'Half' }]));
    expect(cut.status).toBe('incomplete');
    expect(cut.error?.code).toBe('stream_ended');
    const done = play([{ type: 'done', outcome: 'completed', stopped: false }]);
    expect(endAnswer(done)).toBe(done);
  });
});

describe('turnsFromStored', () => {
  const message = (
    seq: number,
    role: 'user' | 'assistant',
    content: StoredMessage['content'],
    status: StoredMessage['status'] = 'complete',
  ): StoredMessage => ({
    seq,
    role,
    status,
    createdAtMs: seq,
    content,
  });

  it('folds a stored tool loop into one answer with its tool activity and citations', () => {
    const turns = turnsFromStored([
      message(1, 'user', [
        { type: 'image', mediaType: 'image/png' },
        { type: 'text', text: 'Where is ORD-1?' },
      ]),
      message(2, 'assistant', [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'tu_1', name: 'get_order_status', input: { order_id: 'ORD-1' } },
      ]),
      message(3, 'user', [
        { type: 'tool_result', tool_use_id: 'tu_1', is_error: true, content: 'no' },
      ]),
      message(4, 'assistant', [
        {
          type: 'text',
          text: 'Returns are accepted for 30 days.',
          citations: [
            {
              type: 'search_result_location',
              source: 'knowledge/returns.md',
              title: 'Returns',
              cited_text: '30 days',
            },
          ],
        },
      ]),
      message(5, 'user', [{ type: 'text', text: 'Tell me a long story' }]),
      message(6, 'assistant', [{ type: 'text', text: 'Once upon' }], 'incomplete'),
    ]);
    expect(turns.map((turn) => turn.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(turns[0]).toMatchObject({
      text: 'Where is ORD-1?',
      images: [{ mediaType: 'image/png' }],
    });
    const answer = turns[1] as AssistantTurn;
    expect(answer.parts).toMatchObject([
      { kind: 'text', text: 'Checking.' },
      { kind: 'tool', name: 'get_order_status', state: 'error' },
      { kind: 'text', text: 'Returns are accepted for 30 days.' },
    ]);
    expect(answer.citations).toEqual([
      { source: 'knowledge/returns.md', title: 'Returns', quote: '30 days' },
    ]);
    expect(answer.status).toBe('complete');
    expect((turns[3] as AssistantTurn).status).toBe('incomplete');
  });

  it('brings back the notice of a stored answer that hit the tool-step cap', () => {
    const notice = { title: 'Stopped at the tool-step limit', body: 'Ask it to continue.' };
    const turns = turnsFromStored([
      message(0, 'user', [{ type: 'text', text: 'Keep checking' }]),
      {
        ...message(1, 'assistant', [
          { type: 'tool_use', id: 'tu_1', name: 'get_order_status', input: {} },
        ]),
        outcome: 'max_iterations',
        notice,
      },
      message(2, 'user', [
        { type: 'tool_result', tool_use_id: 'tu_1', is_error: true, content: 'limit' },
      ]),
      message(3, 'user', [{ type: 'text', text: 'Thanks' }]),
      message(4, 'assistant', [{ type: 'text', text: 'You are welcome.' }]),
    ]);
    expect(turns[1]).toMatchObject({ outcome: 'max_iterations', notice, status: 'complete' });
    expect(turns[3]).toMatchObject({ outcome: undefined, notice: undefined });
  });

  it('brings back the stop notice of a stored answer the person stopped, with its partial text', () => {
    const notice = { title: 'Answer stopped', body: 'Send a message to go on.' };
    const turns = turnsFromStored([
      message(0, 'user', [{ type: 'text', text: 'Tell me a story' }]),
      {
        ...message(1, 'assistant', [{ type: 'text', text: 'Once upon' }], 'incomplete'),
        outcome: 'stopped',
        notice,
      },
    ]);
    expect(turns[1]).toMatchObject({ status: 'incomplete', outcome: 'stopped', notice });
  });

  it('shows a refused turn as failed with its reason, not as an answer', () => {
    const reason = 'The image is a JPEG labelled PNG. Attach it again as what it is.';
    const turns = turnsFromStored([
      message(0, 'user', [{ type: 'text', text: 'Look at this' }], 'failed'),
      message(1, 'assistant', [{ type: 'text', text: reason }], 'failed'),
      message(2, 'user', [{ type: 'text', text: 'Hello again' }]),
      message(3, 'assistant', [{ type: 'text', text: 'Hi.' }]),
    ]);
    expect(turns.map((turn) => turn.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(turns[0]).toMatchObject({ text: 'Look at this', failed: true });
    expect(turns[1]).toMatchObject({
      status: 'failed',
      parts: [],
      error: { code: 'turn_failed', message: reason },
    });
    expect((turns[2] as { failed?: boolean }).failed).toBeUndefined();
    expect(turns[3]).toMatchObject({ status: 'complete', parts: [{ kind: 'text', text: 'Hi.' }] });
  });

  it('shows a declined answer (failed, kept out of the context) with its notice, as an answer', () => {
    const notice = { title: 'Request declined', body: 'Rephrase it.' };
    const turns = turnsFromStored([
      message(0, 'user', [{ type: 'text', text: 'How do I pick a lock?' }], 'failed'),
      {
        ...message(1, 'assistant', [{ type: 'text', text: 'I cannot help' }], 'failed'),
        outcome: 'refused',
        notice,
      },
    ]);
    expect(turns[0]).toMatchObject({ failed: true });
    expect(turns[1]).toMatchObject({
      status: 'complete',
      error: undefined,
      outcome: 'refused',
      notice,
      parts: [{ kind: 'text', text: 'I cannot help' }],
    });
  });
});
