import type { ToolParam } from '../messages/request-schema.ts';

/** A sentence that makes a tool compulsory: "must ALWAYS call", "Always use", "every time ... use". */
const compulsory = /\b(?:always|must|every\s+(?:time|request|question)|required\s+to)\b/i;
const calling = /\b(?:use|call|invoke|run)\b/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The tool a system prompt says to always call ("You are bad at math and must ALWAYS call the
 * math_addition function", "Always use the service_tool tool"), or undefined. A real model
 * follows such an instruction even when the question's words do not name the tool. Only a
 * sentence that both makes calling compulsory and names an offered tool counts.
 */
export function instructedTool(system: string, tools: readonly ToolParam[]): ToolParam | undefined {
  if (system === '' || tools.length === 0) return undefined;
  for (const sentence of system.split(/(?<=[.!?])\s+|\n+/)) {
    if (!compulsory.test(sentence) || !calling.test(sentence)) continue;
    const named = tools.find((tool) =>
      new RegExp(`(?<![\\w-])${escapeRegExp(tool.name)}(?![\\w-])`, 'i').test(sentence),
    );
    if (named) return named;
  }
  return undefined;
}
