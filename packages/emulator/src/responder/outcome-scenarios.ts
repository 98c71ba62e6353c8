import type { Scenario } from './scenario.ts';

/** Options of {@link outcomeScenarios}. */
export interface OutcomeScenarioOptions {
  /** A tool the application offers: the tool loop and the cut tool call ask for it. */
  tool: { name: string; input: Record<string, unknown> };
  /** Prefixes every scenario name (scenario names are unique per emulator). Default none. */
  namePrefix?: string;
}

/** Scenarios that end an answer in each way a chat UI must label, each matched by a phrase. */
export interface OutcomeScenarios {
  /** "everything about tea": a 600-sentence answer, cut by any ordinary `max_tokens`. */
  endless: Scenario;
  /** "keep checking": every reply asks for the tool again, so only a tool-step cap ends it. */
  toolLoop: Scenario;
  /** "pick a lock": a reply with `stop_reason: refusal`. */
  refusal: Scenario;
  /** "long note": a tool call whose input alone outruns `max_tokens`, cut inside the call. */
  cutToolCall: Scenario;
}

/**
 * Ready-made scenarios for testing how an application shows answers that did not simply finish
 * (cut off, stopped by a tool-step cap, refused, cut inside a tool call).
 */
export function outcomeScenarios(options: OutcomeScenarioOptions): OutcomeScenarios {
  const prefix = options.namePrefix ?? '';
  const { name, input } = options.tool;
  return {
    endless: {
      name: `${prefix}endless-answer`,
      match: { userContains: ['everything about tea'] },
      replies: [
        {
          content: [
            {
              type: 'text',
              text: Array.from({ length: 600 }, (_, i) => `Fact ${i + 1} about tea.`).join(' '),
            },
          ],
        },
      ],
    },
    toolLoop: {
      name: `${prefix}tool-loop`,
      match: { userContains: ['keep checking'] },
      replies: [{ content: [{ type: 'tool_use', name, input }] }],
    },
    refusal: {
      name: `${prefix}refusal`,
      match: { userContains: ['pick a lock'] },
      replies: [
        { content: [{ type: 'text', text: 'I cannot help with that.' }], stop_reason: 'refusal' },
      ],
    },
    cutToolCall: {
      name: `${prefix}cut-call`,
      match: { userContains: ['long note'] },
      replies: [
        {
          content: [
            {
              type: 'tool_use',
              name,
              input: { ...input, note: 'lorem ipsum '.repeat(3000) },
            },
          ],
        },
      ],
    },
  };
}
