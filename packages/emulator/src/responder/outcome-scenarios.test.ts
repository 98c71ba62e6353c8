import { describe, expect, it } from 'vitest';
import { parseScenarios } from './load-scenario-file.ts';
import { outcomeScenarios } from './outcome-scenarios.ts';

describe('outcomeScenarios', () => {
  it('are valid scenarios, named with the prefix and asking for the given tool', () => {
    const scenarios = outcomeScenarios({
      tool: { name: 'lookup', input: { id: 'A1' } },
      namePrefix: 'ui-',
    });
    const parsed = parseScenarios(Object.values(scenarios), 'outcomeScenarios');
    expect(parsed.map((scenario) => scenario.name)).toEqual([
      'ui-endless-answer',
      'ui-tool-loop',
      'ui-refusal',
      'ui-cut-call',
    ]);
    expect(scenarios.toolLoop.replies[0]!.content).toEqual([
      { type: 'tool_use', name: 'lookup', input: { id: 'A1' } },
    ]);
    expect(scenarios.refusal.replies[0]!.stop_reason).toBe('refusal');
  });
});
