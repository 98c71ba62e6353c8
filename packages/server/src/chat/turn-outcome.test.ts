import { describe, expect, it } from 'vitest';
import { describeOutcome, parseTurnOutcome, turnOutcome, turnOutcomes } from './turn-outcome.ts';

describe('turnOutcome', () => {
  it('tells a length cut from a context-window cut, which the agent reports alike', () => {
    expect(turnOutcome({ outcome: 'truncated', stopReason: 'max_tokens' })).toBe('truncated');
    expect(turnOutcome({ outcome: 'truncated', stopReason: 'model_context_window_exceeded' })).toBe(
      'context_exceeded',
    );
  });

  it('passes the other agent outcomes through, an abort as stopped', () => {
    expect(turnOutcome({ outcome: 'completed', stopReason: 'end_turn' })).toBe('completed');
    expect(turnOutcome({ outcome: 'refused', stopReason: 'refusal' })).toBe('refused');
    expect(turnOutcome({ outcome: 'max_iterations', stopReason: 'tool_use' })).toBe(
      'max_iterations',
    );
    expect(turnOutcome({ outcome: 'max_cost', stopReason: 'tool_use' })).toBe('max_cost');
    expect(turnOutcome({ outcome: 'aborted', stopReason: null })).toBe('stopped');
  });
});

describe('describeOutcome', () => {
  it('gives a completed answer no notice and every other outcome a title and a next step', () => {
    expect(describeOutcome('completed')).toBeUndefined();
    for (const outcome of turnOutcomes.filter((value) => value !== 'completed')) {
      const notice = describeOutcome(outcome);
      expect(notice?.title, outcome).toBeTruthy();
      // Each notice says what to do: continue, narrow, rephrase, start anew or send again.
      expect(notice?.body, outcome).toMatch(/continue|narrow|rephrase|new conversation|send/i);
    }
  });

  it('says what the person can do for each cut', () => {
    expect(describeOutcome('truncated')?.body).toContain('Ask the assistant to continue');
    expect(describeOutcome('context_exceeded')?.body).toContain('Start a new conversation');
    expect(describeOutcome('refused')?.body).toContain('Rephrase it');
  });

  it('names the number of tool steps when it is known', () => {
    expect(describeOutcome('max_iterations', { steps: 4 })?.title).toBe(
      'Stopped after 4 tool steps',
    );
    expect(describeOutcome('max_iterations')?.title).toBe('Stopped at the tool-step limit');
  });
});

describe('parseTurnOutcome', () => {
  it('reads back a stored outcome and rejects anything else', () => {
    expect(parseTurnOutcome('refused')).toBe('refused');
    expect(parseTurnOutcome('aborted')).toBeUndefined();
    expect(parseTurnOutcome(null)).toBeUndefined();
  });
});
