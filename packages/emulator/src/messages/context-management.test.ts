import { describe, expect, it } from 'vitest';
import {
  clearedToolResultPlaceholder,
  contextManagementBeta,
  manageContext,
} from './context-management.ts';
import type { CountTokensRequest, MessageParam } from './request-schema.ts';

/** One token per character of content: easy to reason about, enough to test the arithmetic. */
const countTokens = (request: CountTokensRequest) => JSON.stringify(request.messages).length;
const betas = [contextManagementBeta];

const toolCall = (id: string, name = 'read_file'): MessageParam => ({
  role: 'assistant',
  content: [{ type: 'tool_use', id, name, input: { path: `/tmp/${id}` } }],
});
const toolResult = (id: string): MessageParam => ({
  role: 'user',
  content: [{ type: 'tool_result', tool_use_id: id, content: `contents of ${id} `.repeat(20) }],
});
/** A tool loop of `count` calls after a first user message. */
function loop(count: number, name?: (index: number) => string): MessageParam[] {
  const messages: MessageParam[] = [{ role: 'user', content: 'Read the files.' }];
  for (let index = 1; index <= count; index++) {
    messages.push(toolCall(`toolu_${index}`, name?.(index)), toolResult(`toolu_${index}`));
  }
  return messages;
}
const request = (
  messages: MessageParam[],
  context_management: CountTokensRequest['context_management'],
): CountTokensRequest => ({ model: 'claude-sonnet-4-6', messages, context_management });

function resultContent(messages: readonly MessageParam[], id: string): unknown {
  for (const message of messages) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) {
      if (block.type === 'tool_result' && block.tool_use_id === id) return block.content;
    }
  }
  return undefined;
}

describe('context management', () => {
  it('leaves a request without context_management alone and reports nothing', () => {
    const plain = request(loop(5), undefined);
    const managed = manageContext(plain, { betas: [], thinkingOn: false, countTokens });
    expect(managed).toEqual({ request: plain, report: null, originalInputTokens: null });
  });

  it('needs its beta, as a field outside the schema would', () => {
    expect(() =>
      manageContext(request(loop(1), { edits: [] }), { betas: [], thinkingOn: false, countTokens }),
    ).toThrow(/^context_management: Extra inputs are not permitted$/);
  });

  it('clears all but the most recent tool results once the trigger is passed', () => {
    const sent = request(loop(5), {
      edits: [{ type: 'clear_tool_uses_20250919', trigger: { type: 'input_tokens', value: 10 } }],
    });
    const managed = manageContext(sent, { betas, thinkingOn: false, countTokens });
    // Default keep: the 3 most recent tool uses.
    for (const id of ['toolu_1', 'toolu_2'])
      expect(resultContent(managed.request.messages, id)).toBe(clearedToolResultPlaceholder);
    for (const id of ['toolu_3', 'toolu_4', 'toolu_5'])
      expect(resultContent(managed.request.messages, id)).toMatch(/^contents of/);
    expect(managed.originalInputTokens).toBe(countTokens(sent));
    expect(managed.report).toEqual({
      applied_edits: [
        {
          type: 'clear_tool_uses_20250919',
          cleared_tool_uses: 2,
          cleared_input_tokens: countTokens(sent) - countTokens(managed.request),
        },
      ],
    });
    expect(managed.report!.applied_edits[0]!.cleared_input_tokens).toBeGreaterThan(0);
    // The client's history is untouched: the edit is on a copy.
    expect(resultContent(sent.messages, 'toolu_1')).toMatch(/^contents of/);
  });

  it('does nothing below the trigger (default 100,000 input tokens) but still answers a report', () => {
    const sent = request(loop(5), { edits: [{ type: 'clear_tool_uses_20250919' }] });
    const managed = manageContext(sent, { betas, thinkingOn: false, countTokens });
    expect(managed.request).toBe(sent);
    expect(managed.report).toEqual({ applied_edits: [] });
  });

  it('counts tool uses for a tool_uses trigger, honours keep, exclude_tools and clear_tool_inputs', () => {
    const sent = request(
      loop(6, (index) => (index === 2 ? 'memory' : 'read_file')),
      {
        edits: [
          {
            type: 'clear_tool_uses_20250919',
            trigger: { type: 'tool_uses', value: 5 },
            keep: { type: 'tool_uses', value: 2 },
            exclude_tools: ['memory'],
            clear_tool_inputs: ['read_file'],
          },
        ],
      },
    );
    const managed = manageContext(sent, { betas, thinkingOn: false, countTokens });
    expect(managed.report!.applied_edits[0]).toMatchObject({ cleared_tool_uses: 3 });
    expect(resultContent(managed.request.messages, 'toolu_2')).toMatch(/^contents of/);
    expect(resultContent(managed.request.messages, 'toolu_4')).toBe(clearedToolResultPlaceholder);
    expect(resultContent(managed.request.messages, 'toolu_5')).toMatch(/^contents of/);
    const firstCall = managed.request.messages[1]!.content as Array<{ input?: unknown }>;
    expect(firstCall[0]!.input).toEqual({});
    // Under the trigger (5 tool uses or fewer), nothing is cleared.
    const few = manageContext(request(loop(5), sent.context_management), {
      betas,
      thinkingOn: false,
      countTokens,
    });
    expect(few.report).toEqual({ applied_edits: [] });
  });

  it('skips an edit that cannot clear clear_at_least tokens', () => {
    const edit = {
      type: 'clear_tool_uses_20250919' as const,
      trigger: { type: 'input_tokens' as const, value: 1 },
      clear_at_least: { type: 'input_tokens' as const, value: 1_000_000 },
    };
    const sent = request(loop(5), { edits: [edit] });
    const managed = manageContext(sent, { betas, thinkingOn: false, countTokens });
    expect(managed.report).toEqual({ applied_edits: [] });
    expect(managed.request.messages).toBe(sent.messages);
  });

  it('clears thinking from all but the most recent thinking turns', () => {
    const thinkingTurn = (index: number): MessageParam[] => [
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: `long reasoning ${index} `.repeat(10), signature: 'sig' },
          { type: 'text', text: `answer ${index}` },
        ],
      },
      { role: 'user', content: `question ${index + 1}` },
    ];
    const messages: MessageParam[] = [
      { role: 'user', content: 'question 1' },
      ...thinkingTurn(1),
      ...thinkingTurn(2),
      ...thinkingTurn(3),
    ];
    const edits = (keep?: unknown) =>
      ({ edits: [{ type: 'clear_thinking_20251015', ...(keep ? { keep } : {}) }] }) as never;
    const managed = manageContext(request(messages, edits()), {
      betas,
      thinkingOn: true,
      countTokens,
    });
    expect(managed.report!.applied_edits).toEqual([
      {
        type: 'clear_thinking_20251015',
        cleared_thinking_turns: 2,
        cleared_input_tokens:
          countTokens(request(messages, undefined)) - countTokens(managed.request),
      },
    ]);
    const kinds = managed.request.messages
      .filter((message) => message.role === 'assistant')
      .map((message) => (message.content as Array<{ type: string }>).map((block) => block.type));
    expect(kinds).toEqual([['text'], ['text'], ['thinking', 'text']]);

    const two = manageContext(request(messages, edits({ type: 'thinking_turns', value: 2 })), {
      betas,
      thinkingOn: true,
      countTokens,
    });
    expect(two.report!.applied_edits[0]).toMatchObject({ cleared_thinking_turns: 1 });
    for (const keep of ['all', { type: 'all' }]) {
      const all = manageContext(request(messages, edits(keep)), {
        betas,
        thinkingOn: true,
        countTokens,
      });
      expect(all.report).toEqual({ applied_edits: [] });
    }
  });

  it('refuses server-side compaction by name: known to the SDK, not emulated', () => {
    expect(() =>
      manageContext(request(loop(1), { edits: [{ type: 'compact_20260112' }] }), {
        betas,
        thinkingOn: false,
        countTokens,
      }),
    ).toThrow(
      /^context_management\.edits\.0\.type: the edit "compact_20260112" is not supported by the Keel emulator yet/,
    );
  });

  it('counts a tool loop as one assistant turn, so its thinking is kept or cleared whole', () => {
    const thought = (text: string) => ({
      type: 'thinking' as const,
      thinking: text,
      signature: 's',
    });
    const messages: MessageParam[] = [
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: [thought('old reasoning'), { type: 'text', text: 'done' }] },
      { role: 'user', content: 'Read two files' },
      {
        role: 'assistant',
        content: [
          thought('plan: read a'),
          { type: 'tool_use', id: 'toolu_a', name: 'read_file', input: {} },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: 'a' }] },
      {
        role: 'assistant',
        content: [
          thought('now read b'),
          { type: 'tool_use', id: 'toolu_b', name: 'read_file', input: {} },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_b', content: 'b' }] },
    ];
    const managed = manageContext(
      request(messages, { edits: [{ type: 'clear_thinking_20251015' }] }),
      { betas, thinkingOn: true, countTokens },
    );
    expect(managed.report!.applied_edits[0]).toMatchObject({ cleared_thinking_turns: 1 });
    const thinkingLeft = managed.request.messages.flatMap((message) =>
      typeof message.content === 'string'
        ? []
        : message.content.flatMap((block) => (block.type === 'thinking' ? [block.thinking] : [])),
    );
    expect(thinkingLeft).toEqual(['plan: read a', 'now read b']);
  });

  it('wants clear_thinking first among several edits, and thinking on', () => {
    const both = {
      edits: [
        { type: 'clear_tool_uses_20250919' as const },
        { type: 'clear_thinking_20251015' as const },
      ],
    };
    expect(() =>
      manageContext(request(loop(1), both), { betas, thinkingOn: true, countTokens }),
    ).toThrow(/^context_management\.edits\.1: clear_thinking_20251015 must be the first edit/);
    expect(() =>
      manageContext(request(loop(1), { edits: [both.edits[1]!] }), {
        betas,
        thinkingOn: false,
        countTokens,
      }),
    ).toThrow(/^context_management\.edits\.0: clear_thinking_20251015 requires `thinking`/);
  });
});
