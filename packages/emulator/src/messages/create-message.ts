import type { ModelInfo } from '@keel/models';
import type { Breakpoint } from '../caching/breakpoints.ts';
import type { CachePlan, CacheUsage } from '../caching/prompt-cache.ts';
import type { EmulatorState } from '../emulator-state.ts';
import { invalidRequest } from '../http/api-error.ts';
import { resolveModel } from '../models/resolve-model.ts';
import type { ReplyBlock } from '../responder/reply.ts';
import { rejectUnsupported } from '../surface/reject-unsupported.ts';
import { layoutPrompt, type PromptLayout } from './prompt-layout.ts';
import {
  countTokensRequestSchema,
  describeIssues,
  messageRequestSchema,
  type CountTokensRequest,
  type MessageRequest,
} from './request-schema.ts';
import type { MessageResponse, OutputBlock, StopReason, Usage } from './response-types.ts';
import { signThinking } from './thinking-signature.ts';
import { countTextTokens, tokenize } from './tokenizer.ts';
import { validateRequest } from './validate-request.ts';

/** A validated request together with everything derived from it. */
export interface PreparedRequest {
  /** The validated body. */
  request: MessageRequest;
  /** The catalog entry of the requested model. */
  model: ModelInfo;
  /** The prompt as the token counter and the cache see it. */
  layout: PromptLayout;
  /** The resolved cache breakpoints. */
  breakpoints: Breakpoint[];
}

/** Options shared by the preparation steps. */
export interface PrepareOptions {
  /** Beta names from the `anthropic-beta` header. */
  betas?: readonly string[];
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
  const parsed = messageRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidRequest(describeIssues(parsed.error));
  const request = parsed.data;
  const model = findModel(state, request.model);
  const layout = layoutPrompt(request, model.id);
  const breakpoints = validateRequest(request, { model, layout, betas: options.betas ?? [] });
  return { request, model, layout, breakpoints };
}

/** Validates a count_tokens body like a Messages request (minus max_tokens) and counts it. */
export function countTokensFor(
  state: EmulatorState,
  body: unknown,
  options: PrepareOptions = {},
): { inputTokens: number; request: CountTokensRequest } {
  requireObject(body);
  rejectUnsupported(body as Record<string, unknown>);
  const parsed = countTokensRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidRequest(describeIssues(parsed.error));
  const request = parsed.data;
  const model = findModel(state, request.model);
  const layout = layoutPrompt(request, model.id);
  validateRequest(request, { model, layout, betas: options.betas ?? [] });
  return { inputTokens: layout.totalTokens, request };
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
}

/** A generated message and the scenario that produced it, if any. */
export interface GeneratedMessage {
  /** The response body. */
  message: MessageResponse;
  /** The scenario behind the reply (reported in `x-keel-scenario`). */
  scenario?: string;
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
  });
  const cache = planCache(state, prepared, options.apiKey);
  const { message } = generateMessage(state, prepared, cache.usage, options);
  cache.commit();
  return message;
}

/**
 * Runs the responder and shapes its reply into the final message: thinking signed (and withheld
 * for `display: "omitted"`), output cut at max_tokens (thinking counts toward it), text cut at the
 * earliest stop sequence, tool ids assigned, and usage from the cache plan and the tokenizer.
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
  const omitThinking =
    request.thinking?.type !== 'disabled' && request.thinking?.display === 'omitted';
  let budget = request.max_tokens;
  let stopReason: StopReason =
    reply.stopReason ?? (reply.blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  let stopSequence: string | null = null;
  const content: OutputBlock[] = [];
  let outputTokens = 0;

  for (const block of reply.blocks as ReplyBlock[]) {
    if (budget <= 0) {
      stopReason = 'max_tokens';
      break;
    }
    if (block.type === 'text') {
      let text = block.text;
      let matched: { stop: string; at: number } | undefined;
      for (const stop of request.stop_sequences ?? []) {
        if (stop === '') continue;
        const at = text.indexOf(stop);
        if (at !== -1 && (!matched || at < matched.at)) matched = { stop, at };
      }
      if (matched) text = text.slice(0, matched.at);
      let pieces = tokenize(text);
      if (pieces.length > budget) {
        pieces = pieces.slice(0, budget);
        text = pieces.join('');
        stopReason = 'max_tokens';
      } else if (matched) {
        stopReason = 'stop_sequence';
        stopSequence = matched.stop;
      }
      content.push({ type: 'text', text, citations: block.citations ?? null });
      budget -= pieces.length;
      outputTokens += pieces.length;
      if (stopReason === 'max_tokens' || stopReason === 'stop_sequence') break;
    } else if (block.type === 'thinking') {
      const all = tokenize(block.thinking);
      const pieces = all.slice(0, budget);
      const thinking = pieces.length === all.length ? block.thinking : pieces.join('');
      content.push({
        type: 'thinking',
        thinking: omitThinking ? '' : thinking,
        signature: signThinking(thinking, { omitted: omitThinking }),
      });
      budget -= pieces.length;
      outputTokens += pieces.length;
      if (pieces.length < all.length) {
        stopReason = 'max_tokens';
        break;
      }
    } else {
      const cost = countTextTokens(block.name) + countTextTokens(JSON.stringify(block.input));
      if (cost > budget) {
        stopReason = 'max_tokens';
        outputTokens += budget;
        budget = 0;
        break;
      }
      content.push({
        type: 'tool_use',
        id: block.id ?? state.ids.next('toolu'),
        name: block.name,
        input: block.input,
        caller: { type: 'direct' },
      });
      budget -= cost;
      outputTokens += cost;
    }
  }

  const usage: Usage = {
    input_tokens: cacheUsage.inputTokens,
    output_tokens: Math.max(1, outputTokens),
    cache_creation_input_tokens: cacheUsage.cacheWrite5mTokens + cacheUsage.cacheWrite1hTokens,
    cache_read_input_tokens: cacheUsage.cacheReadInputTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: cacheUsage.cacheWrite5mTokens,
      ephemeral_1h_input_tokens: cacheUsage.cacheWrite1hTokens,
    },
    server_tool_use: null,
    service_tier: options.serviceTier ?? 'standard',
    inference_geo: request.inference_geo ?? 'global',
  };
  const message: MessageResponse = {
    id: state.ids.next('msg'),
    type: 'message',
    role: 'assistant',
    // The resolved id: an alias such as claude-haiku-4-5 answers claude-haiku-4-5-20251001.
    model: prepared.model.id,
    content,
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    stop_details: null,
    container: null,
    usage,
  };
  return reply.scenario ? { message, scenario: reply.scenario } : { message };
}
