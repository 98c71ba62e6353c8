import type {
  Message,
  MessageParam,
  TextBlockParam,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages';
import type { ModelCatalog } from '@keel/models';
import type { AgentTool } from '../tools/define-tool.ts';
import type { MessagesCaller, MessagesRequest } from '../call/messages-caller.ts';
import type { Principal } from '../tools/tool-context.ts';
import type { CallContext } from './call-context.ts';
import type { ModelSettings } from './model-settings.ts';
import type { StopCondition } from './stop-condition.ts';

/**
 * Request fields with an option of their own (`maxTokens`, `thinking`, `toolChoice`,
 * `temperature`, `model`/`task`, `messages`, `tools`, `system`): `request` may not carry them, so a
 * value is never given twice and silently overwritten. `output_config.effort` likewise belongs
 * to `effort`.
 */
export type ExtraRequestFields = Partial<
  Omit<
    MessagesRequest,
    | 'model'
    | 'messages'
    | 'tools'
    | 'system'
    | 'max_tokens'
    | 'thinking'
    | 'tool_choice'
    | 'temperature'
  >
>;

/**
 * Options for `runAgent` and `streamAgent`: the model settings (`task` — default the routing
 * table's default model — or `model`; `maxTokens` default 4096), the call context (`principal`
 * required), and the loop's own options.
 */
export interface RunAgentOptions extends ModelSettings, CallContext {
  /** Sends Messages requests (`sdkCaller(client)` or Keel's client adapter). */
  caller: MessagesCaller;
  /** The authenticated user, handed to every tool. Never derived from the conversation. */
  principal: Principal;
  /** System prompt. */
  system?: string | TextBlockParam[];
  /** The conversation so far; the last message is usually the user's. Not mutated. */
  messages: MessageParam[];
  /** Tools the model may call. */
  tools?: AgentTool[];
  /** `tool_choice`; default auto. */
  toolChoice?: ToolChoice;
  /**
   * Other request fields sent on every call (metadata, output_config, stop_sequences…). A field
   * that has an option of its own is a `ValidationError` here (see {@link ExtraRequestFields}).
   */
  request?: ExtraRequestFields;
  /**
   * When to end the run before the model finishes, checked each time it asks for more (an array
   * stops at the first that fires). `stepCountIs(maxIterations)`, `costExceeds(maxCostUsd)` and
   * `toolCalled(stopAtTool)` are always added; see `stop-condition.ts`.
   */
  stopWhen?: StopCondition | StopCondition[];
  /** Sugar for `toolCalled(stopAtTool)`: the run ends, as `completed`, when the model calls it. */
  stopAtTool?: string;
  /** Sugar for `stepCountIs(maxIterations)`: model calls allowed in one run. Default 10. */
  maxIterations?: number;
  /** Sugar for `costExceeds(maxCostUsd)`: stop before another call once the run cost this much. */
  maxCostUsd?: number | string;
  /**
   * Cost of one response in picodollars; undefined when unknown. Default: the catalog's list
   * prices.
   */
  costOf?: (message: Message) => bigint | undefined;
  /**
   * Cache-aware assembly of every request (Keel's default): breakpoints on the system prompt and
   * tools, on the previous step's end (an exact cache hit however many tool blocks a step added)
   * and on the new end, never on a prefix below the model's minimum. Existing `cache_control`
   * markers in `messages` are replaced. `false` sends requests exactly as built, for callers who
   * place their own markers. Default true.
   */
  cache?: boolean | { expectedReuseGapMs?: number };
  /** Milliseconds a tool call may take before it is aborted and reported as an error. Default 30 s. */
  toolTimeoutMs?: number;
  /** Catalog used for capabilities (thinking, strict tools) and default prices; default the shipped one. */
  catalog?: ModelCatalog;
}
