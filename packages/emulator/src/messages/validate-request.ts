import type { ModelInfo } from '@keel/models';
import { resolveBreakpoints, type Breakpoint } from '../caching/breakpoints.ts';
import { invalidRequest } from '../http/api-error.ts';
import { imageInfo } from './image-info.ts';
import type { PromptLayout } from './prompt-layout.ts';
import { z } from 'zod';
import {
  describeIssues,
  messageRequestSchema,
  type ContentBlockParam,
  type CountTokensRequest,
  type MessageRequest,
} from './request-schema.ts';
import { checkOutputSchema } from './output-format-support.ts';
import { validateSystemMessages } from './system-messages.ts';
import { checkThinkingBinding } from './thinking-binding.ts';
import { validateConversation } from './validate-conversation.ts';

/** The beta that unlocks `cache_control.scope`. */
export const cacheScopeBeta = 'prompt-caching-scope-2026-01-05';

/** The beta that adds `thinking.display: "updates"` (the SDK's `AnthropicBeta`). */
export const displayUpdatesBeta = 'thinking-display-updates-2026-08-18';

/** Smallest `thinking.budget_tokens` the API accepts. */
export const minThinkingBudget = 1024;

/** What validation needs besides the parsed body. */
export interface ValidateRequestOptions {
  /** The catalog entry of the requested model. */
  model: ModelInfo;
  /** The request's prompt layout (tokens and cache markers). */
  layout: PromptLayout;
  /** Beta names from `anthropic-beta`; the long-context beta widens the context window. */
  betas: readonly string[];
}

/** The context window a request gets: the model's, or its long-context tier's with the beta. */
export function contextWindowFor(model: ModelInfo, betas: readonly string[]): number {
  const tier = model.pricing?.longContext;
  if (tier && (tier.beta === null || betas.includes(tier.beta))) {
    return Math.max(model.contextWindow, tier.contextWindow);
  }
  return model.contextWindow;
}

function eachImage(
  request: CountTokensRequest,
  visit: (source: { media_type: string; data: string }, path: string) => void,
): void {
  const walk = (blocks: readonly ContentBlockParam[], path: string) => {
    blocks.forEach((block, index) => {
      if (block.type === 'image' && block.source.type === 'base64')
        visit(block.source, `${path}.${index}.source.base64`);
      if (block.type === 'tool_result' && Array.isArray(block.content))
        walk(block.content, `${path}.${index}.content`);
    });
  };
  request.messages.forEach((message, index) => {
    if (typeof message.content !== 'string') walk(message.content, `messages.${index}.content`);
  });
}

function validateImages(request: CountTokensRequest): void {
  eachImage(request, (source, path) => {
    const info = imageInfo(source.data);
    if (!info)
      throw invalidRequest(
        `${path}.data: The image could not be processed; it is not a valid image.`,
      );
    if (info.mediaType !== source.media_type) {
      throw invalidRequest(
        `${path}: The image was specified using the ${source.media_type} media type, but the image appears to be a ${info.mediaType} image`,
      );
    }
  });
}

function validateTools(request: CountTokensRequest): void {
  const names = new Set<string>();
  for (const tool of request.tools ?? []) {
    if (names.has(tool.name)) throw invalidRequest('tools: Tool names must be unique.');
    names.add(tool.name);
  }
  const choice = request.tool_choice;
  if (!choice || choice.type === 'auto' || choice.type === 'none') return;
  if (names.size === 0) {
    throw invalidRequest(
      `tool_choice: tool_choice.type "${choice.type}" requires \`tools\` to be specified`,
    );
  }
  if (choice.type === 'tool' && !names.has(choice.name)) {
    throw invalidRequest(`tool_choice.name: Tool '${choice.name}' not found in provided tools`);
  }
}

/** Whether the model thinks on this request: asked to, or always on whatever the request says. */
export function thinkingOn(request: CountTokensRequest, model: ModelInfo): boolean {
  const type = request.thinking?.type;
  // `between_tools` skips up-front thinking, but its progress updates are thinking blocks.
  if (type === 'enabled' || type === 'adaptive' || type === 'between_tools') return true;
  return model.capabilities.thinking.alwaysOn;
}

function validateToolChoice(request: CountTokensRequest, model: ModelInfo): void {
  const choice = request.tool_choice?.type;
  if ((choice === 'any' || choice === 'tool') && !model.capabilities.forcedToolChoice) {
    // Real wording: github.com/BerriAI/litellm/pull/39151 (claude-fable-5-1, 2026).
    throw invalidRequest('tool_choice: type "tool" and "any" are not supported for this model.');
  }
}

/**
 * `thinking: {type: "between_tools"}`: only Claude Sonnet 5.5 accepts it, in place of `"disabled"`
 * (which it refuses with a message pointing to between_tools), and only at effort low, medium or
 * high (https://platform.claude.com/docs/zh-CN/build-with-claude/thinking-troubleshooting, read in
 * its zh-CN copy: only Sonnet 5.5 accepts "between_tools", in place of "disabled";
 * https://platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5#turn-off-up-front-thinking).
 * The pages describe these 400s without quoting their text: the wording is the emulator's, in
 * the style of the documented `"thinking.type.enabled" is not supported for this model` message.
 */
function validateBetweenTools(request: CountTokensRequest, model: ModelInfo): void {
  const type = request.thinking?.type;
  if (!model.capabilities.thinking.betweenTools) {
    throw invalidRequest(
      `"thinking.type.between_tools" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.`,
    );
  }
  if (type === 'disabled') {
    throw invalidRequest(
      '"thinking.type.disabled" is not supported for this model. Use "thinking.type.between_tools" to turn off up-front thinking.',
    );
  }
  const effort = request.output_config?.effort ?? model.capabilities.defaultEffort;
  if (effort === 'xhigh' || effort === 'max') {
    throw invalidRequest(
      `"thinking.type.between_tools" is not supported with "output_config.effort" "${effort}". Use "thinking.type.adaptive" to run at xhigh or max.`,
    );
  }
}

function validateThinking(
  request: CountTokensRequest & Partial<MessageRequest>,
  model: ModelInfo,
): void {
  const thinking = request.thinking;
  const supports = model.capabilities.thinking;
  if (
    thinking?.type === 'between_tools' ||
    (thinking?.type === 'disabled' && supports.betweenTools)
  ) {
    validateBetweenTools(request, model);
    return;
  }
  if (thinking?.type === 'disabled' && supports.alwaysOn) {
    // Real wording: github.com/ex-machina-co/opencode-anthropic-auth/issues/159 (claude-fable-5).
    throw invalidRequest(
      '"thinking.type.disabled" is not supported for this model. Thinking defaults to adaptive mode when not specified; use "thinking.type.enabled" with "budget_tokens" for extended thinking.',
    );
  }
  if (!thinking || thinking.type === 'disabled') return;
  if (thinking.type === 'enabled') {
    if (!supports.enabled) {
      if (supports.adaptive) {
        // Real wording: github.com/handochan/aelix-ai/issues/258 (claude-opus-5, 2026-09).
        throw invalidRequest(
          '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
        );
      }
      throw invalidRequest(`thinking: extended thinking is not supported by ${model.id}`);
    }
    if (thinking.budget_tokens < minThinkingBudget) {
      throw invalidRequest(
        `thinking.enabled.budget_tokens: Input should be greater than or equal to ${minThinkingBudget}`,
      );
    }
    if (request.max_tokens !== undefined && thinking.budget_tokens >= request.max_tokens) {
      throw invalidRequest('`max_tokens` must be greater than `thinking.budget_tokens`.');
    }
  } else if (!supports.adaptive) {
    // Real wording: github.com/docker/docker-agent/issues/3362 (claude-haiku-4-5, 2026-07).
    throw invalidRequest('adaptive thinking is not supported on this model');
  }
  const choice = request.tool_choice?.type;
  if (choice === 'any' || choice === 'tool') {
    throw invalidRequest('Thinking may not be enabled when tool_choice forces tool use.');
  }
  if (request.temperature !== undefined && request.temperature !== 1) {
    throw invalidRequest('`temperature` may only be set to 1 when thinking is enabled.');
  }
  if (request.top_k !== undefined) {
    throw invalidRequest('`top_k` is not supported when thinking is enabled.');
  }
  if (request.top_p !== undefined && request.top_p < 0.95) {
    throw invalidRequest(
      '`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled.',
    );
  }
}

function validateOutputConfig(request: CountTokensRequest, model: ModelInfo): void {
  const config = request.output_config;
  if (!config) return;
  if (config.format) {
    if (!model.capabilities.structuredOutputs) {
      throw invalidRequest(
        `output_config.format: structured outputs are not supported by ${model.id}`,
      );
    }
    checkOutputSchema(config.format.schema, 'output_config.format.schema');
    if (citationsRequested(request)) {
      // The structured-outputs docs say citations and structured outputs are incompatible (a
      // 400); the message is the emulator's, no capture of the real text was found.
      throw invalidRequest(
        'Citations are not supported together with structured outputs (`output_config.format`).',
      );
    }
  }
  const effort = config.effort;
  if (effort && !(model.capabilities.effort as readonly string[]).includes(effort)) {
    // Real wording for a model without effort: github.com/anthropics/claude-code/issues/30010.
    // The message for a level the model lacks is the emulator's (no capture found).
    throw invalidRequest(
      model.capabilities.effort.length === 0
        ? 'This model does not support the effort parameter.'
        : `output_config.effort: "${effort}" is not supported by ${model.id}; expected one of ${model.capabilities.effort.join(', ')}`,
    );
  }
}

/** Whether any document or search result asks for citations (anywhere in the conversation). */
function citationsRequested(request: CountTokensRequest): boolean {
  const wants = (blocks: readonly ContentBlockParam[]): boolean =>
    blocks.some(
      (block) =>
        ((block.type === 'document' || block.type === 'search_result') &&
          block.citations?.enabled === true) ||
        (block.type === 'tool_result' && Array.isArray(block.content) && wants(block.content)),
    );
  return request.messages.some(
    (message) => typeof message.content !== 'string' && wants(message.content),
  );
}

/** Strict tools get their input schema checked against the structured-outputs subset. */
function validateStrictTools(request: CountTokensRequest): void {
  (request.tools ?? []).forEach((tool, index) => {
    if (tool.strict === true)
      checkOutputSchema(tool.input_schema, `tools.${index}.custom.input_schema`);
  });
}

/** Fields that hold the caller's own data (tool inputs and schemas), never a cache marker. */
const notMarkup = new Set(['input', 'input_schema']);

type Segment = string | number;

/** The path of the first `cache_control` that carries a `scope`, anywhere under `value`. */
function scopedMarker(value: unknown, path: Segment[]): Segment[] | undefined {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = scopedMarker(value[index], [...path, index]);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const marker = record.cache_control as { scope?: unknown } | null | undefined;
  if (marker?.scope !== undefined) return [...path, 'cache_control'];
  for (const [key, child] of Object.entries(record)) {
    if (key === 'cache_control' || notMarkup.has(key)) continue;
    if (typeof child !== 'object' || child === null) continue;
    const found = scopedMarker(child, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * `cache_control.scope` exists only under its beta; without it the key is an extra input, wherever
 * the marker sits (request, system, tools, message blocks, blocks nested in tool results), worded
 * and located as the schema's own errors are (`messages.0.content.0.text.cache_control.scope`).
 */
function validateCacheScope(request: CountTokensRequest, betas: readonly string[]): void {
  if (betas.includes(cacheScopeBeta)) return;
  const path =
    request.cache_control?.scope !== undefined
      ? ['cache_control']
      : (scopedMarker(request.system, ['system']) ??
        scopedMarker(request.tools, ['tools']) ??
        scopedMarker(request.messages, ['messages']));
  if (!path) return;
  const issue = {
    code: 'unrecognized_keys' as const,
    keys: ['scope'],
    path,
    message: '',
    input: {},
  };
  throw invalidRequest(describeIssues(new z.ZodError([issue]), request, messageRequestSchema));
}

/**
 * `display: "updates"` exists only under its beta; without it the value is refused as the schema
 * refuses any other (`thinking.adaptive.display: Input should be 'summarized' or 'omitted'`).
 */
function validateDisplayBeta(request: CountTokensRequest, betas: readonly string[]): void {
  const thinking = request.thinking;
  if (!thinking || !('display' in thinking) || thinking.display !== 'updates') return;
  if (betas.includes(displayUpdatesBeta)) return;
  const issue = {
    code: 'invalid_value' as const,
    values: ['summarized', 'omitted'],
    path: ['thinking', 'display'],
    message: '',
    input: 'updates',
  };
  throw invalidRequest(describeIssues(new z.ZodError([issue]), request, messageRequestSchema));
}

/**
 * Everything the API checks beyond the body's shape: the conversation, tools, thinking and its
 * incompatibilities, output config against the model's capabilities, images, the context window
 * and the cache breakpoints. `max_tokens` checks apply only when the request has it (count_tokens
 * has none). Returns the resolved cache breakpoints.
 */
export function validateRequest(
  request: CountTokensRequest &
    Partial<Pick<MessageRequest, 'max_tokens' | 'temperature' | 'top_k' | 'top_p'>>,
  options: ValidateRequestOptions,
): Breakpoint[] {
  const { model, layout } = options;
  if (request.max_tokens !== undefined && request.max_tokens > model.maxOutputTokens) {
    throw invalidRequest(
      `max_tokens: ${request.max_tokens} > ${model.maxOutputTokens}, which is the maximum allowed number of output tokens for ${model.id}`,
    );
  }
  validateSystemMessages(request.messages, { model, betas: options.betas });
  validateConversation(request.messages, {
    // Progress updates under `between_tools` are thinking blocks passed back like adaptive ones.
    thinking:
      request.thinking?.type === 'between_tools'
        ? 'adaptive'
        : (request.thinking?.type ??
          (model.capabilities.thinking.alwaysOn ? 'adaptive' : 'disabled')),
    prefill: model.capabilities.prefill,
  });
  validateTools(request);
  validateToolChoice(request, model);
  validateThinking(request, model);
  checkThinkingBinding(request, model);
  validateDisplayBeta(request, options.betas);
  validateOutputConfig(request, model);
  validateStrictTools(request);
  validateImages(request);
  validateCacheScope(request, options.betas);

  const window = contextWindowFor(model, options.betas);
  if (layout.totalTokens > window) {
    throw invalidRequest(`prompt is too long: ${layout.totalTokens} tokens > ${window} maximum`);
  }
  // Models that stop at the window accept the request and end with stop_reason
  // model_context_window_exceeded (https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons).
  if (
    request.max_tokens !== undefined &&
    layout.totalTokens + request.max_tokens > window &&
    !model.capabilities.contextWindowExceededStop
  ) {
    throw invalidRequest(
      `input length and \`max_tokens\` exceed context limit: ${layout.totalTokens} + ${request.max_tokens} > ${window}, decrease input length or \`max_tokens\` and try again`,
    );
  }
  return resolveBreakpoints(layout, request.cache_control);
}
