import type { ModelInfo } from '@keel/models';
import type { MessageRequest } from '../messages/request-schema.ts';

/** A block the emulated model produces, before ids, signatures and limits are applied. */
export type ReplyBlock =
  | { type: 'text'; text: string; citations?: unknown[] }
  | { type: 'thinking'; thinking: string }
  /** Thinking the safety systems withheld: `data` is the opaque blob the client passes back. */
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; name: string; input: Record<string, unknown>; id?: string };

/** What a refusal says about itself (`stop_details` without its `type`). */
interface RefusalDetails {
  category: 'cyber' | 'bio' | 'frontier_llm' | 'reasoning_extraction' | 'general_harms' | null;
  explanation: string | null;
}

/** What the emulated model "wants" to say. The pipeline then applies max_tokens and stop sequences. */
export interface Reply {
  blocks: ReplyBlock[];
  /** Default: tool_use when there is a tool_use block, else end_turn. */
  stopReason?: 'end_turn' | 'tool_use' | 'pause_turn' | 'refusal';
  /** For a refusal: its category and explanation (reported in `stop_details`). */
  refusal?: Partial<RefusalDetails>;
  /** The scenario that produced the reply, if any (reported in a response header). */
  scenario?: string;
}

export interface ResponderContext {
  /** The resolved catalog entry for the requested model. */
  model: ModelInfo;
  /** A scenario name forced by the `x-keel-scenario` request header. */
  forcedScenario?: string;
}

/** Decides what the emulated model says to a validated request. Pure and deterministic. */
export type Responder = (request: MessageRequest, context: ResponderContext) => Reply;
