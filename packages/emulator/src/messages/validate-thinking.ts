import type { ModelInfo } from '@keel/models';
import { z } from 'zod';
import { invalidRequest } from '../http/api-error.ts';
import {
  describeIssues,
  messageRequestSchema,
  type CountTokensRequest,
  type MessageRequest,
} from './request-schema.ts';

/** The beta that adds `thinking.display: "updates"` (the SDK's `AnthropicBeta`). */
const displayUpdatesBeta = 'thinking-display-updates-2026-08-18';

/** Smallest `thinking.budget_tokens` the API accepts. */
const minThinkingBudget = 1024;

/** Whether the model thinks on this request: asked to, or always on whatever the request says. */
export function thinkingOn(request: CountTokensRequest, model: ModelInfo): boolean {
  const type = request.thinking?.type;
  // `between_tools` skips up-front thinking, but its progress updates are thinking blocks.
  if (type === 'enabled' || type === 'adaptive' || type === 'between_tools') return true;
  return model.capabilities.thinking.alwaysOn;
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

/** The request's `thinking` against the model's thinking modes and what thinking excludes. */
export function validateThinking(
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

/**
 * `display: "updates"` exists only under its beta; without it the value is refused as the schema
 * refuses any other (`thinking.adaptive.display: Input should be 'summarized' or 'omitted'`).
 */
export function validateDisplayBeta(request: CountTokensRequest, betas: readonly string[]): void {
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
