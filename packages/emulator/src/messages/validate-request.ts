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
import { validateDisplayBeta, validateThinking } from './validate-thinking.ts';

/** The beta that unlocks `cache_control.scope`. */
const cacheScopeBeta = 'prompt-caching-scope-2026-01-05';

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

function validateToolChoice(request: CountTokensRequest, model: ModelInfo): void {
  const choice = request.tool_choice?.type;
  if ((choice === 'any' || choice === 'tool') && !model.capabilities.forcedToolChoice) {
    // Real wording: github.com/BerriAI/litellm/pull/39151 (claude-fable-5-1, 2026).
    throw invalidRequest('tool_choice: type "tool" and "any" are not supported for this model.');
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
