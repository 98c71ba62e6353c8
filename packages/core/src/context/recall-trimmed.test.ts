import { describe, expect, it } from 'vitest';
import { recallTrimmed } from './recall-trimmed.ts';

describe('recalling trimmed turns', () => {
  const trimmed = [
    { role: 'user' as const, content: 'Hi, I need help with a refund for my blender.' },
    {
      role: 'assistant' as const,
      content: [{ type: 'text' as const, text: 'Sure, which order is it?' }],
    },
    {
      role: 'user' as const,
      content: 'For reference, my customer number is K0ABC12Z. The order shipped late.',
    },
    {
      role: 'user' as const,
      content: 'The gift message I want on the package is "Happy birthday Sam".',
    },
  ];

  it('brings back the turn the user refers to', () => {
    const recalled = recallTrimmed({ trimmed, query: 'What was the customer number I gave you?' });
    expect(recalled[0]?.text).toContain('K0ABC12Z');
  });

  it('brings back nothing for an unrelated question', () => {
    expect(recallTrimmed({ trimmed, query: 'Do you sell garden furniture?' })).toEqual([]);
  });
});
