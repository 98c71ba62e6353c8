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

describe('shapeReply on the claude-4-7 tokenizer family', () => {
  const prose: Reply = {
    blocks: [{ type: 'text', text: Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ') }],
  };

  it('counts output with the family ratio, as input is counted', () => {
    const base = shapeReply(prose, limits());
    const newer = shapeReply(prose, limits({ family: 'claude-4-7' }));
    expect(newer.outputTokens).toBe(Math.ceil(base.outputTokens * 1.3));
    expect(newer.outputTokens).toBe(countTextTokens(proseText(), 'claude-4-7'));
  });

  it('cuts at max_tokens to text whose family count fits, spending exactly the budget', () => {
    const shaped = shapeReply(prose, limits({ family: 'claude-4-7', maxTokens: 40 }));
    expect(shaped.stopReason).toBe('max_tokens');
    expect(shaped.outputTokens).toBe(40);
    const block = shaped.blocks[0]!.block;
    if (block.type !== 'text') throw new Error('expected text');
    expect(countTextTokens(block.text, 'claude-4-7')).toBeLessThanOrEqual(40);
    expect(proseText().startsWith(block.text)).toBe(true);
    expect(shaped.blocks.reduce((sum, entry) => sum + entry.tokens, 0)).toBe(40);
  });

  function proseText(): string {
    const block = prose.blocks[0]!;
    return block.type === 'text' ? block.text : '';
  }
});

describe('shapeReply with text between tool calls in thinking blocks', () => {
  it('turns text before a tool call into a thinking block, empty when display omits it', () => {
    const shaped = shapeReply(toolReply, limits({ toolTextInThinking: true, omitThinking: true }));
    expect(shaped.blocks.map((entry) => entry.block.type)).toEqual(['thinking', 'tool_use']);
    expect(shaped.blocks[0]!.block).toMatchObject({ type: 'thinking', thinking: '' });
    expect(shaped.thinkingTokens).toBe(countTextTokens('Checking.'));
  });

  it('keeps the update text under between_tools even where reasoning is omitted', () => {
    const shaped = shapeReply(
      { blocks: [{ type: 'thinking', thinking: 'Hidden reasoning.' }, ...toolReply.blocks] },
      limits({ toolTextInThinking: true, omitThinking: true, showToolText: true }),
    );
    expect(shaped.blocks.map((entry) => entry.block)).toMatchObject([
      { type: 'thinking', thinking: '' },
      { type: 'thinking', thinking: 'Checking.' },
      { type: 'tool_use' },
    ]);
  });

  it('leaves text after the last tool call as text', () => {
    const shaped = shapeReply(
      { blocks: [...toolReply.blocks, { type: 'text', text: 'Done.' }] },
      limits({ toolTextInThinking: true }),
    );
    expect(shaped.blocks.map((entry) => entry.block.type)).toEqual([
      'thinking',
      'tool_use',
      'text',
    ]);
  });
});
