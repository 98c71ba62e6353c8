import type { ContextManagementReport } from './context-management.ts';

/**
 * The shapes the emulator answers with, mirroring the official SDK's `Message` and `Usage`
 * (node_modules/@anthropic-ai/sdk/resources/messages/messages.d.ts). Where the SDK types a field as
 * required-but-nullable and the real API leaves it out when it does not apply (`container`,
 * `usage.server_tool_use`, `diagnostics`, `usage.speed`: absent from every capture in
 * ../shared/wire that does not use them), the emulator leaves it out too.
 */

/** `usage.output_tokens_details`: how many of the billed output tokens were reasoning. */
export interface OutputTokensDetails {
  thinking_tokens: number;
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  output_tokens_details: OutputTokensDetails;
  service_tier: 'standard' | 'batch';
  inference_geo: string;
}

export type OutputBlock =
  /** `citations` only when the text cites something: the real API omits it otherwise (wire captures). */
  | { type: 'text'; text: string; citations?: unknown[] }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | {
      type: 'tool_use';
      id: string;
      name: string;
      input: Record<string, unknown>;
      caller: { type: 'direct' };
    };

export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

/** The policy categories of the SDK's `RefusalStopDetails`. */
export const refusalCategories = [
  'cyber',
  'bio',
  'frontier_llm',
  'reasoning_extraction',
  'general_harms',
] as const;

/** `stop_details` of a refusal (the SDK's `RefusalStopDetails`); null for every other stop. */
export interface RefusalStopDetails {
  type: 'refusal';
  category: (typeof refusalCategories)[number] | null;
  explanation: string | null;
}

export interface MessageResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: OutputBlock[];
  stop_reason: StopReason;
  stop_sequence: string | null;
  stop_details: RefusalStopDetails | null;
  usage: Usage;
  /** Only when the request had `context_management` (beta): the edits applied. */
  context_management?: ContextManagementReport;
}
