import { describe, expect, it } from 'vitest';
import type { Reply } from '../responder/reply.ts';
import { shapeReply, type ReplyLimits } from './shape-reply.ts';
import { countTextTokens } from './tokenizer.ts';

const limits = (overrides: Partial<ReplyLimits> = {}): ReplyLimits => ({
  maxTokens: 1000,
  stopSequences: [],
  omitThinking: false,
  nextToolId: () => 'toolu_01next',
  ...overrides,
});

const toolReply: Reply = {
  blocks: [
    { type: 'text', text: 'Checking.' },
    { type: 'tool_use', name: 'lookup', input: { order: 'ORD-9', reason: 'late delivery' } },
  ],
};

describe('shapeReply', () => {
  it('spends exactly the budget on a tool call cut short, keeping the JSON generated so far', () => {
    const full = shapeReply(toolReply, limits());
    expect(full.stopReason).toBe('tool_use');
    const shaped = shapeReply(toolReply, limits({ maxTokens: full.outputTokens - 3 }));
    expect(shaped.stopReason).toBe('max_tokens');
    expect(shaped.outputTokens).toBe(full.outputTokens - 3);
    const tool = shaped.blocks[1]!;
    expect(tool.block).toMatchObject({ type: 'tool_use', id: 'toolu_01next', name: 'lookup' });
    const fullJson = JSON.stringify({ order: 'ORD-9', reason: 'late delivery' });
    expect(fullJson.startsWith(tool.inputJson!)).toBe(true);
    expect(tool.inputJson!.length).toBeLessThan(fullJson.length);
    expect(shaped.blocks.reduce((sum, block) => sum + block.tokens, 0)).toBe(shaped.outputTokens);
  });

  it('starts a tool call with empty input when the budget ends within its name', () => {
    const textTokens = countTextTokens('Checking.');
    const shaped = shapeReply(toolReply, limits({ maxTokens: textTokens + 1 }));
    expect(shaped.blocks[1]).toMatchObject({ block: { input: {} }, inputJson: '', tokens: 1 });
  });

  it('stops at the earliest stop sequence, in text before a tool call', () => {
    const shaped = shapeReply(toolReply, limits({ stopSequences: ['late', 'ing.'] }));
    expect(shaped).toMatchObject({ stopReason: 'stop_sequence', stopSequence: 'ing.' });
    expect(shaped.blocks.map((block) => block.block)).toEqual([{ type: 'text', text: 'Check' }]);
  });

  it('stops at the context window before max_tokens when the window is nearer', () => {
    const reply: Reply = { blocks: [{ type: 'text', text: 'one two three four five six' }] };
    const byWindow = shapeReply(reply, limits({ maxTokens: 5, windowRoom: 3 }));
    expect(byWindow).toMatchObject({
      stopReason: 'model_context_window_exceeded',
      outputTokens: 3,
    });
    const byMaxTokens = shapeReply(reply, limits({ maxTokens: 3, windowRoom: 5 }));
    expect(byMaxTokens).toMatchObject({ stopReason: 'max_tokens', outputTokens: 3 });
    const whole = shapeReply(reply, limits({ maxTokens: 50, windowRoom: 40 }));
    expect(whole.stopReason).toBe('end_turn');
  });

  it('counts thinking, redacted or not, as thinking tokens, and drops a redacted blob that does not fit', () => {
    const reply: Reply = {
      blocks: [
        { type: 'thinking', thinking: 'Let me think about it.' },
        { type: 'redacted_thinking', data: 'RXJtQkNrWUlBUmdDS2tEMFlW' },
        { type: 'text', text: 'Done.' },
      ],
    };
    const whole = shapeReply(reply, limits());
    const thinking = countTextTokens('Let me think about it.');
    const redacted = countTextTokens('RXJtQkNrWUlBUmdDS2tEMFlW');
    expect(whole.thinkingTokens).toBe(thinking + redacted);
    expect(whole.outputTokens).toBe(thinking + redacted + countTextTokens('Done.'));
    const cut = shapeReply(reply, limits({ maxTokens: thinking + 1 }));
    expect(cut.blocks.map((block) => block.block.type)).toEqual(['thinking']);
    expect(cut).toMatchObject({ stopReason: 'max_tokens', outputTokens: thinking + 1 });
  });

  it('reports refusal details only for a refusal that was not cut short', () => {
    const reply: Reply = {
      blocks: [{ type: 'text', text: 'I will not help with that.' }],
      stopReason: 'refusal',
      refusal: { category: 'bio' },
    };
    expect(shapeReply(reply, limits()).stopDetails).toEqual({
      type: 'refusal',
      category: 'bio',
      explanation: null,
    });
    expect(shapeReply(reply, limits({ maxTokens: 2 })).stopDetails).toBeNull();
  });
});
