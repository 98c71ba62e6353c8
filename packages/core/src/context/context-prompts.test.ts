import { describe, expect, it } from 'vitest';
import { loadRoutingTable } from '../routing/routing-table.ts';
import { contextPrompts } from './context-prompts.ts';
import { conversationMemoryAllowanceTokens } from './fit-history-to-window.ts';

describe('the prompt files context management sends', () => {
  const { summary, memory } = contextPrompts();

  it('load and validate from the shipped folder, with a version for the ledger', () => {
    expect([summary.id, memory.id]).toEqual(['context-summary', 'context-memory']);
    expect(summary.version).toMatch(/^[0-9a-f]{12}$/);
    expect(summary.warnings).toEqual([]);
    expect(memory.warnings).toEqual([]);
  });

  it('route to the cheap model by task, as the hard-coded default did', () => {
    const routing = loadRoutingTable();
    expect(routing.route(summary.settings().task).model).toBe('claude-haiku-5-5');
    expect(routing.route(memory.settings().task).model).toBe('claude-haiku-5-5');
  });

  it('keep the summary within the window allowance kept free for it', () => {
    expect(summary.settings().maxTokens).toBeLessThanOrEqual(conversationMemoryAllowanceTokens);
  });

  it('render the summary request with and without an earlier summary', () => {
    const first = summary.render({ transcript: 'user: my order is A-1' });
    expect(first.messages).toEqual([
      {
        role: 'user',
        content:
          'Current summary:\n\n\nTurns to fold in:\nuser: my order is A-1\n\nWrite the updated summary.',
      },
    ]);
    const next = summary.render({ transcript: 'user: hi', current_summary: 'Order A-1.' });
    expect(next.messages[0]!.content).toContain(
      'Current summary:\nOrder A-1.\n\nTurns to fold in:',
    );
    expect(first.system).toMatch(/^You maintain a running summary/);
  });
});
