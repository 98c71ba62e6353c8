import type {
  Message,
  MessageParam,
  TextBlockParam,
  ThinkingConfigParam,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages';
import type { ModelCatalog } from '@keel/models';
import type { AgentTool } from '../tools/define-tool.ts';
import type { CallTags } from '../call/call-tags.ts';
import type {
  MessagesCaller,
  MessagesRequest,
} from '../call/messages-caller.ts';
import type { Principal, ToolLogger } from '../tools/tool-context.ts';

/** Options for `runAgent` and `streamAgent`. */
export interface RunAgentOptions {
  /** Sends Messages requests (`sdkCaller(client)` or Keel's client adapter). */
  caller: MessagesCaller;
  /** Model id or alias. */
  model: string;
  /** System prompt. */
  system?: string | TextBlockParam[];
  /** The conversation so far; the last message is usually the user's. Not mutated. */
  messages: MessageParam[];
  /** Tools the model may call. */
  tools?: AgentTool[];
  /** `tool_choice`; default auto. */
  toolChoice?: ToolChoice;
  /** `max_tokens` per model call. Default 4096. */
  maxTokens?: number;
  /**
   * `temperature`. Sent only where the caller's API version and the model accept it: never under
   * 2026-10-21 (the SDK's default), and only the default value on `defaults-only` models under
   * 2023-06-01. A value left out is warned about once by the caller (`sdkCaller`, `keelCaller`).
   */
  temperature?: number;
  /** Thinking configuration; thinking blocks are passed back unchanged between calls. */
  thinking?: ThinkingConfigParam;
  /** Other request fields sent on every call (metadata, output_config, stop_sequences…). */
  request?: Partial<Omit<MessagesRequest, 'model' | 'messages' | 'tools' | 'system'>>;
  /**
   * End the run, as `completed`, when the model calls this tool; the call is not executed. Used
   * for an answer tool whose input is the result (structured output alongside the user's tools).
   */
  stopAtTool?: string;
  /**
   * Cache-aware assembly of every request (Keel's default): breakpoints on the system prompt and
   * tools, on the previous step's end (an exact cache hit however many tool blocks a step added)
   * and on the new end, never on a prefix below the model's minimum. Existing `cache_control`
   * markers in `messages` are replaced. `false` sends requests exactly as built, for callers who
   * place their own markers. Default true.
   */
  cache?: boolean | { expectedReuseGapMs?: number };
  /** Model calls allowed in one run. Default 10. */
  maxIterations?: number;
  /** Stop before another model call once the run has cost this much (USD). */
  maxCostUsd?: number;
  /** Cost of one response in USD; undefined when unknown. Default: the catalog's list prices. */
  costOf?: (message: Message) => number | undefined;
  /** Milliseconds a tool call may take before it is aborted and reported as an error. Default 30 s. */
  toolTimeoutMs?: number;
  /** Aborts the run: the model call in flight and running tools. */
  signal?: AbortSignal;
  /** The authenticated user, handed to every tool. Never derived from the conversation. */
  principal: Principal;
  /** Logger for the loop and the tools. */
  logger?: ToolLogger;
  /** Extra headers on every call. */
  headers?: Record<string, string>;
  /** Catalog used for capabilities (thinking, strict tools) and default prices; default the shipped one. */
  catalog?: ModelCatalog;
  /** Tags recorded on every call by callers that keep a ledger (e.g. a rendered prompt's `tags`). */
  tags?: CallTags;
}
