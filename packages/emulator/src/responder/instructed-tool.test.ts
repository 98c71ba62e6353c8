import { describe, expect, it } from 'vitest';
import type { ToolParam } from '../messages/request-schema.ts';
import { instructedTool } from './instructed-tool.ts';

const adder: ToolParam = {
  name: 'math_addition',
  description: 'Add two integers',
  input_schema: { type: 'object' },
};
const weather: ToolParam = { name: 'get_weather', input_schema: { type: 'object' } };

describe('instructedTool', () => {
  it('finds the tool a system prompt says to always call', () => {
    const system = 'You are bad at math and must ALWAYS call the math_addition function.';
    expect(instructedTool(system, [weather, adder])).toBe(adder);
    expect(
      instructedTool("You're helpful. Always use the get_weather tool.", [adder, weather]),
    ).toBe(weather);
  });

  it('ignores prompts that name a tool without making it compulsory, or make an unknown tool compulsory', () => {
    expect(instructedTool('You may call math_addition when useful.', [adder])).toBeUndefined();
    expect(instructedTool('Always use the calculator tool.', [adder])).toBeUndefined();
    // A longer name that contains the tool's name is another tool.
    expect(instructedTool('Always call math_addition_v2.', [adder])).toBeUndefined();
  });
});
