/**
 * A scenario scripts what the emulated model answers to matching requests, for deterministic
 * tests. Scenarios are data: loaded from YAML or JSON files, or registered through the admin API.
 */
export interface ScenarioMatch {
  /** Every listed substring must appear in the last user message's text (case-insensitive). */
  userContains?: string[];
  /** A regular expression tested against the last user message's text. */
  userMatches?: string;
  /** Substring of the system prompt. */
  systemContains?: string;
  /** The request's model id. */
  model?: string;
  /** Match only when the last user turn carries tool results (true) or not (false). */
  afterToolResult?: boolean;
  /** Match only when the request offers a tool of this name. */
  hasTool?: string;
}

export type ScenarioBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string }
  | { type: 'tool_use'; name: string; input: Record<string, unknown>; id?: string };

export interface ScenarioReply {
  content: ScenarioBlock[];
  /** Default: tool_use when the reply has a tool_use block, else end_turn. */
  stop_reason?: 'end_turn' | 'tool_use' | 'pause_turn' | 'refusal';
}

export interface Scenario {
  name: string;
  match?: ScenarioMatch;
  /** Replies used in turn, one per matching request; the last repeats. */
  replies: ScenarioReply[];
}
