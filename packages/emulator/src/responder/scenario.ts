/**
 * A scenario scripts what the emulated model answers to matching requests, for deterministic
 * tests. Scenarios are data: loaded from YAML or JSON files, or registered through the admin API.
 */
export interface ScenarioMatch {
  /**
   * Every listed substring must appear in the user's latest words (case-insensitive): the text
   * of the last user message that has text, so a tool loop still matches its opening question.
   */
  userContains?: string[];
  /** A regular expression tested against the user's latest words; `/source/flags` also works. */
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
  | { type: 'text'; text: string; citations?: unknown[] }
  | { type: 'thinking'; thinking: string }
  /** Redacted thinking; `data` (the opaque blob) defaults to a fixed one when the scenario is parsed. */
  | { type: 'redacted_thinking'; data?: string }
  | {
      type: 'tool_use';
      name: string;
      /** The tool's input. Omitted: filled from the user's words to fit the tool's schema. */
      input?: Record<string, unknown>;
      id?: string;
    };

export interface ScenarioReply {
  /** The blocks the emulated model answers with (a file may give a plain string for one text block). */
  content: ScenarioBlock[];
  /** Default: tool_use when the reply has a tool_use block, else end_turn. */
  stop_reason?: 'end_turn' | 'tool_use' | 'pause_turn' | 'refusal';
  /** With `stop_reason: refusal`: the refusal's category and explanation (`stop_details`). */
  stop_details?: {
    category?: 'cyber' | 'bio' | 'frontier_llm' | 'reasoning_extraction' | 'general_harms' | null;
    explanation?: string | null;
  };
}

export interface Scenario {
  /** Unique name; the `x-keel-scenario` header forces a scenario by it. */
  name: string;
  /** Which requests the scenario answers. Omitted: every request. */
  match?: ScenarioMatch;
  /** Only used when forced by name (the `x-keel-scenario` header), never by matching. */
  forcedOnly?: boolean;
  /** Replies used in turn, one per matching request; the last repeats. */
  replies: ScenarioReply[];
}
