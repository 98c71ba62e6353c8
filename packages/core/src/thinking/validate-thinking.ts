import type { ThinkingConfigParam, ToolChoice } from '@anthropic-ai/sdk/resources/messages';
import { defaultModelCatalog, type EffortLevel, type ModelCatalog } from '@keel/models';
import { ThinkingConfigError } from './thinking-config-error.ts';

/** The smallest `budget_tokens` the API accepts. */
export const MIN_THINKING_BUDGET = 1024;

/** The effort levels of `output_config.effort` (the catalog's list). */
export type { EffortLevel };

/** Options for {@link validateThinking}: the parts of a request that thinking constrains. */
export interface ValidateThinkingOptions {
  /** Model id or alias. */
  model: string;
  /** The request's `thinking`. */
  thinking?: ThinkingConfigParam;
  /** The request's `max_tokens` (it includes the thinking budget). */
  maxTokens: number;
  /** The request's `output_config.effort`. */
  effort?: EffortLevel;
  /** Interleaved thinking with tools, where the budget may exceed max_tokens. */
  interleaved?: boolean;
  toolChoice?: ToolChoice;
  temperature?: number;
  topP?: number;
  topK?: number;
  /** Catalog of model capabilities; default the shipped one. */
  catalog?: ModelCatalog;
}

/** A request's thinking options that passed validation. */
export interface ThinkingValidation {
  /** The model's catalog id. */
  model: string;
  /** True when the request thinks (enabled or adaptive). */
  thinks: boolean;
  /** Allowed but discouraged settings (e.g. manual budgets on models that prefer adaptive). */
  warnings: string[];
}

/**
 * Checks thinking options against the model's capabilities and the API's rules before a request
 * is sent, so a bad combination fails here with every problem listed rather than as a 400.
 */
export function validateThinking(options: ValidateThinkingOptions): ThinkingValidation {
  const model = (options.catalog ?? defaultModelCatalog()).get(options.model);
  const issues: string[] = [];
  const warnings: string[] = [];
  const thinking = options.thinking;
  const thinks =
    thinking?.type === 'enabled' ||
    thinking?.type === 'adaptive' ||
    (model.capabilities.thinking.alwaysOn && thinking?.type !== 'disabled');

  if (options.maxTokens > model.maxOutputTokens) {
    issues.push(
      `max_tokens ${options.maxTokens} exceeds ${model.id}'s limit of ${model.maxOutputTokens}`,
    );
  }
  if (thinking?.type === 'enabled') {
    if (!model.capabilities.thinking.enabled) {
      issues.push(`${model.id} does not support extended thinking`);
    }
    if (thinking.budget_tokens < MIN_THINKING_BUDGET) {
      issues.push(
        `budget_tokens must be at least ${MIN_THINKING_BUDGET} (got ${thinking.budget_tokens})`,
      );
    }
    if (thinking.budget_tokens >= options.maxTokens && !options.interleaved) {
      issues.push(
        `budget_tokens (${thinking.budget_tokens}) must be less than max_tokens (${options.maxTokens}), which includes it`,
      );
    }
    if (model.capabilities.thinking.adaptive) {
      warnings.push(`${model.id} supports adaptive thinking; manual budgets are deprecated there`);
    }
  }
  if (thinking?.type === 'disabled' && model.capabilities.thinking.alwaysOn) {
    issues.push(`${model.id} always thinks; thinking cannot be disabled (leave it unset)`);
  }
  if (
    options.toolChoice &&
    (options.toolChoice.type === 'any' || options.toolChoice.type === 'tool') &&
    !model.capabilities.forcedToolChoice
  ) {
    issues.push(`${model.id} does not accept a forced tool_choice (only auto or none)`);
  }
  if (thinking?.type === 'adaptive' && !model.capabilities.thinking.adaptive) {
    issues.push(
      `${model.id} does not support adaptive thinking; use { type: 'enabled', budget_tokens }`,
    );
  }
  if (options.effort !== undefined && !model.capabilities.effort.includes(options.effort)) {
    issues.push(
      model.capabilities.effort.length === 0
        ? `${model.id} does not support effort`
        : `effort "${options.effort}" is not supported by ${model.id} (supported: ${model.capabilities.effort.join(', ')})`,
    );
  }
  if (thinks) {
    if (options.temperature !== undefined && options.temperature !== 1) {
      issues.push('temperature cannot be changed while thinking');
    }
    if (options.topK !== undefined) issues.push('top_k cannot be set while thinking');
    if (options.topP !== undefined && (options.topP < 0.95 || options.topP > 1)) {
      issues.push('top_p must be between 0.95 and 1 while thinking');
    }
    if (
      options.toolChoice &&
      options.toolChoice.type !== 'auto' &&
      options.toolChoice.type !== 'none' &&
      model.capabilities.forcedToolChoice
    ) {
      issues.push(
        `tool_choice "${options.toolChoice.type}" cannot be used while thinking (only auto or none)`,
      );
    }
  }
  if (issues.length > 0) throw new ThinkingConfigError(model.id, issues);
  return { model: model.id, thinks, warnings };
}
