import { describe, expect, it } from 'vitest';
import { dynamicSystemPrompt } from './dynamic-system-prompt.ts';

describe('dynamicSystemPrompt', () => {
  const now = () => new Date('2026-04-02T22:45:00Z');

  it('adds user, date from the injected clock and project context after the stable base', () => {
    const prompt = dynamicSystemPrompt({
      base: 'You are an AI assistant. Be direct and actionable.\n',
      user: { name: 'Alex', role: 'Senior Backend Engineer' },
      project: {
        type: 'E-commerce API',
        techStack: ['Python', 'FastAPI', 'PostgreSQL', 'Redis'],
        constraints: 'Must support 10k requests/second',
      },
      now,
    });
    expect(prompt.text).toBe(
      [
        'You are an AI assistant. Be direct and actionable.',
        '',
        'You are helping Alex, who is a Senior Backend Engineer.',
        'Current date and time: 2026-04-02 22:45 (UTC)',
        'Project context: E-commerce API',
        'Tech stack in use: Python, FastAPI, PostgreSQL, Redis',
        'Constraints to consider: Must support 10k requests/second',
      ].join('\n'),
    );
    expect(prompt.blocks[0]).toEqual({
      type: 'text',
      text: 'You are an AI assistant. Be direct and actionable.',
      cache_control: { type: 'ephemeral' },
    });
    expect(prompt.blocks[1]?.cache_control).toBeUndefined();
  });

  it('formats the date in the requested time zone and omits what is not known', () => {
    const prompt = dynamicSystemPrompt({
      base: 'Base',
      now,
      timeZone: 'Asia/Tokyo',
      cacheBase: false,
    });
    expect(prompt.text).toBe('Base\n\nCurrent date and time: 2026-04-03 07:45 (Asia/Tokyo)');
    expect(prompt.blocks[0]).toEqual({ type: 'text', text: 'Base' });
  });
});
