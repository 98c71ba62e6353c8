import { describe, expect, it } from 'vitest';
import { expandSearchResults } from './search-result-blocks.ts';

const request = (resultText: string, toolName = 'search_policies') => ({
  model: 'claude-sonnet-4-6',
  max_tokens: 100,
  messages: [
    { role: 'user' as const, content: 'What is the return window?' },
    {
      role: 'assistant' as const,
      content: [
        { type: 'tool_use' as const, id: 'toolu_1', name: toolName, input: { query: 'returns' } },
      ],
    },
    {
      role: 'user' as const,
      content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_1', content: resultText }],
    },
  ],
});

const hits = JSON.stringify({
  search_results: [{ source: 'knowledge/returns.md', title: 'Returns', content: ['30 days.'] }],
});

describe('expandSearchResults', () => {
  it('turns a search tool’s JSON output into search_result blocks with citations enabled', () => {
    const expanded = expandSearchResults(request(hits), new Set(['search_policies']));
    expect(expanded.messages[2]!.content).toEqual([
      {
        type: 'tool_result',
        tool_use_id: 'toolu_1',
        content: [
          {
            type: 'search_result',
            source: 'knowledge/returns.md',
            title: 'Returns',
            content: [{ type: 'text', text: '30 days.' }],
            citations: { enabled: true },
          },
        ],
      },
    ]);
  });

  it('leaves other tools, non-JSON output and malformed results alone', () => {
    const tools = new Set(['search_policies']);
    const other = request(hits, 'get_order_status');
    expect(expandSearchResults(other, tools)).toBe(other);
    const prose = request('No results');
    expect(expandSearchResults(prose, tools)).toBe(prose);
    const malformed = request(JSON.stringify({ search_results: [{ source: 1 }] }));
    expect(expandSearchResults(malformed, tools).messages[2]!.content).toEqual([
      {
        type: 'tool_result',
        tool_use_id: 'toolu_1',
        content: [{ type: 'text', text: 'No matching passages were found.' }],
      },
    ]);
  });
});
