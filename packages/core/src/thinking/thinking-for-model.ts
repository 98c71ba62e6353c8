import type { ThinkingConfigParam } from '@anthropic-ai/sdk/resources/messages';
import { defaultModelCatalog, type EffortLevel, type ModelCatalog } from '@keel/models';
import { MIN_THINKING_BUDGET } from './validate-thinking.ts';

/** Options for {@link thinkingForModel}. */
export interface ThinkingForModelOptions {
  /** Model id or alias. */
  model: string;
  /** How many tokens of reasoning the caller wants; below 1,024 means "no extra thinking". */
  budgetTokens: number;
  /** Catalog of model capabilities; default the shipped one. */
  catalog?: ModelCatalog;
}

/** The thinking request a model accepts for a wanted amount of reasoning. */
export interface ThinkingForModel {
  /** The `thinking` to send, or undefined to send none. */
  thinking: ThinkingConfigParam | undefined;
  /**
   * The `output_config.effort` to send with it, or undefined for the model's default. Set only on
   * adaptive-only models, where effort is the one knob for how much the model reasons.
   */
  effort: EffortLevel | undefined;
  /** True when `budgetTokens` is part of `max_tokens` (manual thinking). */
  budgetCounted: boolean;
}

/** Budgets up to these sizes map to these efforts on adaptive-only models (Keel's choice). */
const effortByBudget: ReadonlyArray<readonly [number, EffortLevel]> = [
  [4_096, 'low'],
  [8_192, 'medium'],
  [Number.POSITIVE_INFINITY, 'high'],
];

/**
 * Turns "about this many tokens of reasoning" into what the model accepts: adaptive thinking with
 * an effort level where the model has it (the 5.x models refuse manual budgets, some always
 * think, and the SDK calls manual budgets deprecated on the 4.6 models), else a manual
 * `budget_tokens`. A budget is a portable way to
 * configure reasoning; sending it unchanged to a current model is a 400.
 */
export function thinkingForModel(options: ThinkingForModelOptions): ThinkingForModel {
  const model = (options.catalog ?? defaultModelCatalog()).get(options.model);
  const { thinking: modes, effort: levels } = model.capabilities;
  const wantsThinking = options.budgetTokens >= MIN_THINKING_BUDGET;
  if (!wantsThinking) {
    // An always-on model thinks anyway; the least effort it takes is the closest to "none".
    const effort = modes.alwaysOn ? levels[0] : undefined;
    return { thinking: undefined, effort, budgetCounted: false };
  }
  // Adaptive first: where a model has both, the SDK warns that manual budgets are deprecated.
  if (modes.adaptive) {
    const wanted = effortByBudget.find(([limit]) => options.budgetTokens <= limit)![1];
    const effort = levels.includes(wanted) ? wanted : undefined;
    return { thinking: { type: 'adaptive' }, effort, budgetCounted: false };
  }
  if (modes.enabled) {
    return {
      thinking: { type: 'enabled', budget_tokens: options.budgetTokens },
      effort: undefined,
      budgetCounted: true,
    };
  }
  return { thinking: undefined, effort: undefined, budgetCounted: false };
}
