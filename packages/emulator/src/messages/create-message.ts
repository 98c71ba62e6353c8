import type { ModelInfo } from '@keel/models';
import type { Breakpoint } from '../caching/breakpoints.ts';
import type { CachePlan, CacheUsage } from '../caching/prompt-cache.ts';
import type { EmulatorState } from '../emulator-state.ts';
import { invalidRequest } from '../http/api-error.ts';
import type { ApiVersion } from '../http/api-version.ts';
import { resolveModel } from '../models/resolve-model.ts';
import { rejectUnsupported } from '../surface/reject-unsupported.ts';
import { manageContext, type ContextManagementReport } from './context-management.ts';
import { layoutPrompt, type PromptLayout } from './prompt-layout.ts';
import {
  countTokensRequestSchema,
  describeIssues,
  type CountTokensRequest,
  type MessageRequest,
} from './request-schema.ts';
import type { MessageResponse, Usage } from './response-types.ts';
import { shapeReply } from './shape-reply.ts';
import { requestChain } from './thinking-binding.ts';
import { tokenizerFamilyOf } from './tokenizer-family.ts';
import type { StreamedBlock } from './stream-events.ts';
import { contextWindowFor, validateRequest } from './validate-request.ts';
import { thinkingOn } from './validate-thinking.ts';
import { checkVersionRules, messageSchemaFor } from './version-rules.ts';

/** A validated request together with everything derived from it. */
export interface PreparedRequest {
  /** The validated body, after context editing (what the model sees). */
  request: MessageRequest;
  /** The body as sent, before context editing (what preserved thinking binds blocks to). */
  sent: MessageRequest;
  /** The catalog entry of the requested model. */
  model: ModelInfo;
  /** The prompt as the token counter and the cache see it. */
  layout: PromptLayout;
  /** The resolved cache breakpoints. */
  breakpoints: Breakpoint[];
  /** The context window the request gets (the model's, or its long-context tier's). */
  contextWindow: number;
  /** The `context_management` report (null when the request has none); see context-management.ts. */
  contextManagement: ContextManagementReport | null;
}

/** Options shared by the preparation steps. */
export interface PrepareOptions {
  /** Beta names from the `anthropic-beta` header. */
  betas?: readonly string[];
  /**
   * The request's `anthropic-version` (the HTTP routes always pass it; a batch item gets its
   * create call's). In-process callers that omit it get `2023-06-01`, the version without the
   * 2026-10-21 removals.
   */
  apiVersion?: ApiVersion;
}

function requireObject(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('Request body must be a JSON object');
  }
}

function findModel(state: EmulatorState, name: string): ModelInfo {
  return resolveModel(name, { find: (id) => state.catalog.find(id), clock: state.clock });
}

/** Validates a raw body as a Messages request: shape, model, then every semantic rule. */
export function prepareMessageRequest(
  state: EmulatorState,
  body: unknown,
  options: PrepareOptions = {},
): PreparedRequest {
  requireObject(body);
  rejectUnsupported(body as Record<string, unknown>);
  const apiVersion = options.apiVersion ?? '2023-06-01';
  const schema = messageSchemaFor(apiVersion);
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidRequest(describeIssues(parsed.error, body, schema));
  const sent = parsed.data;
  const model = findModel(state, sent.model);
  checkVersionRules(sent, { version: apiVersion, model });
  const betas = options.betas ?? [];
  // The model (responder, token counts, cache) sees the conversation after context editing;
  // validation judges the conversation as sent.
  const managed = manageContext(sent, {
    betas,
    thinkingOn: thinkingOn(sent, model),
    countTokens: (edited) => layoutPrompt(edited, model).totalTokens,
  });
  const request = managed.request;
  const layout = layoutPrompt(request, model);
  const breakpoints = validateRequest(sent, { model, layout, betas });
  return {
    request,
    sent,
    model,
    layout,
    breakpoints,
    contextWindow: contextWindowFor(model, betas),
    contextManagement: managed.report,
  };
}

/** Validates a count_tokens body like a Messages request (minus max_tokens) and counts it. */
export function countTokensFor(
  state: EmulatorState,
  body: unknown,
  options: PrepareOptions = {},
): {
  inputTokens: number;
  request: CountTokensRequest;
  /** count_tokens' `context_management` (null when the request has none). */
  contextManagement: { original_input_tokens: number } | null;
} {
  requireObject(body);
  rejectUnsupported(body as Record<string, unknown>);
  const parsed = countTokensRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw invalidRequest(describeIssues(parsed.error, body, countTokensRequestSchema));
  }
  const request = parsed.data;
  const model = findModel(state, request.model);
  checkVersionRules(request, { version: options.apiVersion ?? '2023-06-01', model });
  const betas = options.betas ?? [];
  const managed = manageContext(request, {
    betas,
    thinkingOn: thinkingOn(request, model),
    countTokens: (edited) => layoutPrompt(edited, model).totalTokens,
  });
  const layout = layoutPrompt(managed.request, model);
  validateRequest(request, { model, layout, betas });
  return {
    inputTokens: layout.totalTokens,
    request,
    contextManagement:
      managed.originalInputTokens === null
        ? null
        : { original_input_tokens: managed.originalInputTokens },
  };
}

/** Works out the request's cache reads and writes for the key (nothing is stored until commit). */
export function planCache(
  state: EmulatorState,
  prepared: PreparedRequest,
  apiKey: string,
): CachePlan {
  return state.promptCache.plan({
    apiKey,
    layout: prepared.layout,
    breakpoints: prepared.breakpoints,
    minCacheableTokens: prepared.model.minCacheableTokens,
  });
}

/** Per-request choices of the non-streaming pipeline. */
export interface ProcessMessageOptions {
  /** The API key the request came with (prompt-cache entries are per key). */
  apiKey: string;
  /** `batch` for Message Batches items: reported in `usage.service_tier`. Default `standard`. */
  serviceTier?: 'standard' | 'batch';
  /** A scenario name to use instead of matching (the `x-keel-scenario` header). */
  forcedScenario?: string;
  /** Beta names from the `anthropic-beta` header. */
  betas?: readonly string[];
  /** The `anthropic-version` the request is validated under (see PrepareOptions). */
  apiVersion?: ApiVersion;
}

/** A generated message and the scenario that produced it, if any. */
export interface GeneratedMessage {
  /** The response body. */
  message: MessageResponse;
  /** The scenario behind the reply (reported in `x-keel-scenario`). */
  scenario?: string;
  /** Per content block, its output tokens and generated tool JSON, for streaming it faithfully. */
  streamed: StreamedBlock[];
}

/**
 * The whole non-streaming pipeline for one request body: validation, prompt-cache accounting, the
 * responder, max_tokens and stop sequences. Throws ApiError for an invalid request. Rate limits and
 * faults are applied by the HTTP route, not here, so batch items can reuse this as is.
 */
export function processMessageRequest(
  state: EmulatorState,
  body: unknown,
  options: ProcessMessageOptions,
): MessageResponse {
  const prepared = prepareMessageRequest(state, body, {
    ...(options.betas ? { betas: options.betas } : {}),
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
  });
  const cache = planCache(state, prepared, options.apiKey);
  const { message } = generateMessage(state, prepared, cache.usage, options);
  cache.commit();
  return message;
}

/**
 * The request's `thinking.display`, or the model's default (`omitted` on Claude Opus 4.7 and
 * later: catalog `capabilities.thinking.defaultDisplay`, sourced per model).
 */
function thinkingDisplay(
  request: MessageRequest,
  model: ModelInfo,
): 'summarized' | 'omitted' | 'updates' {
  const thinking = request.thinking;
  const named = thinking && 'display' in thinking ? thinking.display : undefined;
  return named ?? model.capabilities.thinking.defaultDisplay;
}

/**
 * Runs the responder and shapes its reply into the final message (see shape-reply.ts: thinking
 * signed and withheld for `display: "omitted"`, output cut at max_tokens or, on models that stop
 * there, at the context window, stop sequences in text and tool JSON, tool ids assigned), with
 * usage from the cache plan and the tokenizer.
 */
export function generateMessage(
  state: EmulatorState,
  prepared: PreparedRequest,
  cacheUsage: CacheUsage,
  options: Pick<ProcessMessageOptions, 'forcedScenario' | 'serviceTier'> = {},
): GeneratedMessage {
  const { request, model } = prepared;
  const reply = state.responder(request, {
    model,
    ...(options.forcedScenario ? { forcedScenario: options.forcedScenario } : {}),
  });
  const display = thinkingDisplay(request, model);
  const shaped = shapeReply(reply, {
    maxTokens: request.max_tokens,
    ...(model.capabilities.contextWindowExceededStop
      ? { windowRoom: prepared.contextWindow - prepared.layout.totalTokens }
      : {}),
    stopSequences: request.stop_sequences ?? [],
    // `updates` (beta) withholds the reasoning and returns only the progress updates as text.
    omitThinking: display !== 'summarized',
    toolTextInThinking: model.capabilities.thinking.toolTextInThinking,
    // Sonnet 5.5's progress updates under `between_tools` keep their summarized text.
    showToolText: display !== 'omitted' || request.thinking?.type === 'between_tools',
    family: tokenizerFamilyOf(model),
    ...(model.capabilities.thinking.preservedThinking
      ? { bindingChain: () => requestChain(prepared.sent) }
      : {}),
    nextToolId: () => state.ids.next('toolu'),
  });

  const usage: Usage = {
    input_tokens: cacheUsage.inputTokens,
    // max_tokens 0 (a cache pre-warm) generates nothing and bills no output.
    output_tokens: request.max_tokens === 0 ? 0 : Math.max(1, shaped.outputTokens),
    cache_creation_input_tokens: cacheUsage.cacheWrite5mTokens + cacheUsage.cacheWrite1hTokens,
    cache_read_input_tokens: cacheUsage.cacheReadInputTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: cacheUsage.cacheWrite5mTokens,
      ephemeral_1h_input_tokens: cacheUsage.cacheWrite1hTokens,
    },
    output_tokens_details: { thinking_tokens: shaped.thinkingTokens },
    service_tier: options.serviceTier ?? 'standard',
    inference_geo: request.inference_geo ?? 'global',
  };
  const message: MessageResponse = {
    id: state.ids.next('msg'),
    type: 'message',
    role: 'assistant',
    // The resolved id: an alias such as claude-haiku-4-5 answers claude-haiku-4-5-20251001.
    model: model.id,
    content: shaped.blocks.map((shapedBlock) => shapedBlock.block),
    stop_reason: shaped.stopReason,
    stop_sequence: shaped.stopSequence,
    stop_details: shaped.stopDetails,
    usage,
    ...(prepared.contextManagement ? { context_management: prepared.contextManagement } : {}),
  };
  const streamed = shaped.blocks.map(({ tokens, inputJson }) =>
    inputJson === undefined ? { tokens } : { tokens, inputJson },
  );
  return reply.scenario ? { message, scenario: reply.scenario, streamed } : { message, streamed };
}
