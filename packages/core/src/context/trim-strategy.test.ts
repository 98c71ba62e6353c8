import { describe, expect, it } from 'vitest';
import { historyProblems, safeCutPoints, type MessageParam } from '../call/conversation-shape.ts';
import { randomConversation } from './random-conversation.ts';
import {
  ContextOverflowError,
  lastMessages,
  messageText,
  steppedWindow,
  tokenBudget,
  type TrimStrategy,
} from './trim-strategy.ts';

const countTokens = (message: MessageParam) =>
  Math.ceil(JSON.stringify(message.content).length / 4) + 3;

describe('trimming strategies', () => {
  const strategies: TrimStrategy[] = [
    lastMessages(1),
    lastMessages(6),
    tokenBudget(),
    steppedWindow(),
  ];

  it('always produce a well-formed history, for thousands of random conversations', () => {
    let trimmed = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const messages = randomConversation(seed, { thinking: seed % 3 === 0 });
      expect(historyProblems(messages), `seed ${seed} generator`).toEqual([]);
      const total = messages.reduce((sum, message) => sum + countTokens(message), 0);
      const budgetTokens = Math.max(200, Math.floor(total * (0.2 + (seed % 7) / 10)));
      for (const strategy of strategies) {
        let result;
        try {
          result = strategy.trim({ messages, budgetTokens, countTokens });
        } catch (error) {
          expect(error).toBeInstanceOf(ContextOverflowError);
          continue;
        }
        if (result.start > 0) trimmed++;
        expect(historyProblems(result.messages), `seed ${seed} ${strategy.name}`).toEqual([]);
        expect(result.tokens).toBeLessThanOrEqual(budgetTokens);
        expect(result.messages.at(-1)).toEqual(messages.at(-1));
        // Thinking blocks travel unmodified.
        for (const message of result.messages) {
          if (typeof message.content === 'string') continue;
          for (const block of message.content) {
            if (block.type === 'thinking') expect(block.signature).toMatch(/^sig-/);
          }
        }
      }
    }
    expect(trimmed).toBeGreaterThan(1000);
  });

  it('lastMessages keeps at least N messages, starting at a user turn', () => {
    const messages = randomConversation(7, { turns: 10 });
    const result = lastMessages(4).trim({ messages, budgetTokens: 1e9, countTokens });
    expect(result.messages.length).toBeGreaterThanOrEqual(4);
    expect(safeCutPoints(messages)).toContain(result.start);
  });

  it('the stepped window keeps its start for many turns, then jumps', () => {
    const strategy = steppedWindow({ targetShare: 0.5 });
    const long = randomConversation(42, { turns: 150 });
    const userTurns = safeCutPoints(long);
    let state;
    const starts: number[] = [];
    for (const end of userTurns.slice(1)) {
      const messages = long.slice(0, end + 1);
      const result = strategy.trim({ messages, budgetTokens: 12000, countTokens, state });
      state = result.state;
      starts.push(result.start);
    }
    const changes = starts.filter(
      (start, index) => index > 0 && start !== starts[index - 1],
    ).length;
    const sliding = userTurns
      .slice(1)
      .map(
        (end) =>
          tokenBudget().trim({ messages: long.slice(0, end + 1), budgetTokens: 12000, countTokens })
            .start,
      );
    const slidingChanges = sliding.filter(
      (start, index) => index > 0 && start !== sliding[index - 1],
    ).length;
    expect(changes).toBeGreaterThan(0);
    expect(changes * 3).toBeLessThan(slidingChanges);
  });

  it('clears old tool results when one turn alone is too big, keeping pairs intact', () => {
    const messages: MessageParam[] = [
      { role: 'user', content: 'look up everything' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'search', input: {} }] },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 't1', content: 'x '.repeat(4000) }],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't2', name: 'search', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't2', content: 'short' }] },
    ];
    const result = tokenBudget().trim({ messages, budgetTokens: 500, countTokens });
    expect(result.clearedToolResults).toBe(1);
    expect(historyProblems(result.messages)).toEqual([]);
    expect(messageText(result.messages[2]!)).toMatch(/trimmed/);
  });

  it('raises a typed error when the newest message alone cannot fit', () => {
    const messages: MessageParam[] = [{ role: 'user', content: 'y '.repeat(10_000) }];
    expect(() => tokenBudget().trim({ messages, budgetTokens: 100, countTokens })).toThrow(
      ContextOverflowError,
    );
  });
});
