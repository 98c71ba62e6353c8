/**
 * What the emulator knows of the Claude Messages API, in one place. Every request field, message
 * role, content block, tool type, stop reason, stream event and delta the official SDK knows is
 * listed here as either:
 *
 * - `supported`: the emulator accepts it (request side) or can produce it (response side);
 * - `rejected`: known to the real API but not emulated. A request that uses it gets a 400 saying
 *   the Keel emulator does not support it yet (see `reject-unsupported.ts`), never a silent
 *   acceptance; a response-side item marked `rejected` is never produced, because the requests
 *   that would produce it are rejected.
 *
 * `conformance/sdk-drift.test.ts` keeps this honest: it fails when the installed SDK knows a name
 * that is missing here, when a `supported` request item is not accepted by the request schema (or
 * a `rejected` one is), and when a `rejected` item does not get the clear 400 over a real socket.
 */

/** Whether the emulator handles an item of the API surface. */
export type SurfaceStatus = 'supported' | 'rejected';

/** One item of the surface and why it has its status. */
export interface SurfaceEntry {
  /** See {@link SurfaceStatus}. */
  status: SurfaceStatus;
  /** For `rejected` items: where the work is tracked, or why it is out of scope. */
  note?: string;
}

const supported: SurfaceEntry = { status: 'supported' };
/** Server tools, MCP, files, containers: issue 16. */
const issue16: SurfaceEntry = { status: 'rejected', note: 'issue 16 (server tools, MCP, files)' };
const rejected = (note: string): SurfaceEntry => ({ status: 'rejected', note });

/** Blocks of server tools, MCP and beta features: the same in requests (sent back) and responses. */
const serverSideBlocks: Record<string, SurfaceEntry> = {
  server_tool_use: issue16,
  web_search_tool_result: issue16,
  web_fetch_tool_result: issue16,
  code_execution_tool_result: issue16,
  bash_code_execution_tool_result: issue16,
  text_editor_code_execution_tool_result: issue16,
  tool_search_tool_result: issue16,
  container_upload: issue16,
  advisor_tool_result: issue16,
  mcp_tool_use: issue16,
  mcp_tool_result: issue16,
  mcp_tool_listing: issue16,
  compaction: rejected('server-side compaction (beta) is not emulated'),
  fallback: rejected('model fallbacks (beta) are not emulated'),
};

/** The emulator's surface, by category; names are the wire names. */
export const emulatorSurface = {
  /** Top-level request body fields (GA and beta). */
  requestFields: {
    model: supported,
    messages: supported,
    max_tokens: supported,
    system: supported,
    metadata: supported,
    stop_sequences: supported,
    stream: supported,
    temperature: supported,
    top_p: supported,
    top_k: supported,
    tools: supported,
    tool_choice: supported,
    thinking: supported,
    output_config: supported,
    cache_control: supported,
    context_management: supported,
    service_tier: supported,
    inference_geo: supported,
    speed: supported,
    container: issue16,
    mcp_servers: issue16,
    diagnostics: rejected('cache-miss diagnostics are not emulated'),
    user_profile_id: rejected('user profiles are not emulated'),
    workspace_id: rejected('workspaces are not emulated'),
    billing_policy: rejected('billing policies are not emulated'),
    compaction: rejected('server-side compaction (beta) is not emulated'),
    fallback_credit_token: rejected('model fallbacks (beta) are not emulated'),
    fallbacks: rejected('model fallbacks (beta) are not emulated'),
    output_format: rejected('the beta spelling of output_config.format; use output_config.format'),
    thread: rejected('message threads (beta) are not emulated'),
  },
  /**
   * SDK parameters that never reach the body: the SDK turns `betas` into the `anthropic-beta`
   * header, which the emulator reads.
   */
  clientSideParameters: ['betas'],
  /** `role` of a message in `messages`. */
  messageRoles: {
    user: supported,
    assistant: supported,
    system: {
      status: 'supported',
      note: 'mid-conversation system messages (messages/system-messages.ts): models with capabilities.midConversationSystemMessages; output_config and clear_at under their betas',
    },
  },
  /** `type` of a content block in a request message. */
  contentBlockParams: {
    text: supported,
    image: supported,
    document: supported,
    search_result: supported,
    tool_use: supported,
    tool_result: supported,
    thinking: supported,
    redacted_thinking: supported,
    ...serverSideBlocks,
    tool_addition: rejected('tool additions (beta) are not emulated'),
    tool_removal: rejected('tool removals (beta) are not emulated'),
  },
  /** `type` of a block inside a `tool_result`'s content. */
  toolResultContent: {
    text: supported,
    image: supported,
    document: supported,
    search_result: supported,
    tool_reference: rejected('issue 16 (tool search: tool_reference blocks)'),
    browser_state: rejected('issue 16 (browser toolset)'),
  },
  /** `source.type` of an image block. */
  imageSources: {
    base64: supported,
    url: { status: 'supported', note: 'accepted; the emulator does not fetch URLs' },
    file: {
      status: 'supported',
      note: 'accepted; there is no Files API to resolve file_id (issue 16)',
    },
  },
  /** `source.type` of a document block. */
  documentSources: {
    base64: supported,
    text: supported,
    content: supported,
    url: { status: 'supported', note: 'accepted; the emulator does not fetch URLs' },
    file: {
      status: 'supported',
      note: 'accepted; there is no Files API to resolve file_id (issue 16)',
    },
  },
  /** `thinking.type`. */
  thinkingTypes: {
    enabled: supported,
    disabled: supported,
    adaptive: supported,
    between_tools: {
      status: 'supported',
      note: 'Claude Sonnet 5.5 only (capabilities.thinking.betweenTools); other models answer 400',
    },
  },
  /** `tool_choice.type`. */
  toolChoiceTypes: {
    auto: supported,
    any: supported,
    tool: supported,
    none: supported,
  },
  /**
   * Fields of a custom tool definition. Tool objects are loose in the schema, so these are all
   * accepted; the notes say which ones change nothing in the emulator.
   */
  toolFields: {
    name: supported,
    description: supported,
    input_schema: supported,
    type: supported,
    strict: supported,
    cache_control: supported,
    defer_loading: {
      status: 'supported',
      note: 'the responder never calls a deferred tool; tool search itself is issue 16',
    },
    allowed_callers: {
      status: 'supported',
      note: 'accepted; only `direct` callers exist while code execution is issue 16',
    },
    eager_input_streaming: {
      status: 'supported',
      note: 'accepted; input_json_delta chunking is the same either way',
    },
    input_examples: { status: 'supported', note: 'accepted; the responder does not use them' },
  },
  /** `type` of a tool definition; a custom tool's is `custom` or absent. */
  toolTypes: {
    custom: supported,
    bash_20241022: issue16,
    bash_20250124: issue16,
    text_editor_20241022: issue16,
    text_editor_20250124: issue16,
    text_editor_20250429: issue16,
    text_editor_20250728: issue16,
    computer_20241022: issue16,
    computer_20250124: issue16,
    computer_20251124: issue16,
    computer_toolset_20260801: issue16,
    browser_toolset_20260801: issue16,
    memory_20250818: issue16,
    code_execution_20250522: issue16,
    code_execution_20250825: issue16,
    code_execution_20260120: issue16,
    code_execution_20260521: issue16,
    web_search_20250305: issue16,
    web_search_20260209: issue16,
    web_search_20260318: issue16,
    web_fetch_20250910: issue16,
    web_fetch_20260209: issue16,
    web_fetch_20260309: issue16,
    web_fetch_20260318: issue16,
    tool_search_tool_bm25: issue16,
    tool_search_tool_bm25_20251119: issue16,
    tool_search_tool_regex: issue16,
    tool_search_tool_regex_20251119: issue16,
    advisor_20260301: issue16,
    mcp_toolset: issue16,
  },
  /** `type` of a content block in a response. */
  responseBlocks: {
    text: supported,
    thinking: supported,
    tool_use: supported,
    redacted_thinking: supported,
    ...serverSideBlocks,
  },
  /** `stop_reason` values. */
  stopReasons: {
    end_turn: supported,
    max_tokens: supported,
    stop_sequence: supported,
    tool_use: supported,
    pause_turn: supported,
    refusal: supported,
    model_context_window_exceeded: supported,
    compaction: rejected('server-side compaction (beta) is not emulated'),
  },
  /** `type` of a stream event the SDK parses (`ping` and `error` are handled apart by the SDK). */
  streamEvents: {
    message_start: supported,
    content_block_start: supported,
    content_block_delta: supported,
    content_block_stop: supported,
    message_delta: supported,
    message_stop: supported,
  },
  /** `type` of a `content_block_delta`'s delta. */
  deltaTypes: {
    text_delta: supported,
    input_json_delta: supported,
    citations_delta: supported,
    thinking_delta: supported,
    signature_delta: supported,
    compaction_delta: rejected('server-side compaction (beta) is not emulated'),
  },
} satisfies Record<string, Record<string, SurfaceEntry> | string[]>;

/** The categories of the surface that hold entries. */
export type SurfaceCategory = Exclude<keyof typeof emulatorSurface, 'clientSideParameters'>;

/** The names in a category with the given status. */
export function namesWithStatus(category: SurfaceCategory, status: SurfaceStatus): string[] {
  const entries: Record<string, SurfaceEntry> = emulatorSurface[category];
  return Object.keys(entries).filter((name) => entries[name]!.status === status);
}
