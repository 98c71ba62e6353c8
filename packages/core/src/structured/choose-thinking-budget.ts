import type { Message, ThinkingConfigParam } from '@anthropic-ai/sdk/resources/messages';
import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import { KeelError } from '@keel/errors';
import { z } from 'zod';
import { generateObject } from './generate-object.ts';
import type { MessagesCaller } from '../call/messages-caller.ts';
import { callOptionsOf, type CallContext } from '../agent/call-context.ts';
import { resolveModel, type ModelSettings } from '../agent/model-settings.ts';
import { thinkingForModel } from '../thinking/thinking-for-model.ts';
import { type EffortLevel, validateThinking } from '../thinking/validate-thinking.ts';

/** How hard a request is, as the cheap classifier judges it. */
export type RequestDifficulty = 'simple' | 'moderate' | 'complex';

/** Thinking budget per difficulty; 0 means no thinking. */
export type ThinkingBudgets = Record<RequestDifficulty, number>;

/** Simple questions get no thinking, moderate tasks 5,000 tokens, complex problems 15,000. */
export const defaultThinkingBudgets: ThinkingBudgets = {
  simple: 0,
  moderate: 5_000,
  complex: 15_000,
};

/**
 * Options for {@link chooseThinkingBudget}. `model` or `task` names the model that will answer
 * (its limits cap the budget; default the routing table's default model).
 */
export interface ChooseThinkingBudgetOptions
  extends Pick<ModelSettings, 'model' | 'task'>, Pick<CallContext, 'signal' | 'headers' | 'tags'> {
  caller: MessagesCaller;
  /** The user's request, as text. */
  request: string;
  /** Tokens reserved for the answer itself; max_tokens = this + the budget. Default 4096. */
  answerMaxTokens?: number;
  /** The task of the cheap classifying call. Default `classification`. */
  classifierTask?: string;
  /** A model for the classifier, overriding `classifierTask`. */
  classifierModel?: string;
  budgets?: ThinkingBudgets;
  /** Used when classification fails. Default `moderate`. */
  fallback?: RequestDifficulty;
  catalog?: ModelCatalog;
}

/** The thinking settings chosen for one request. */
export interface ThinkingBudgetChoice {
  difficulty: RequestDifficulty;
  /** The `thinking` to send, or undefined for no thinking. */
  thinking: ThinkingConfigParam | undefined;
  /**
   * The `output_config.effort` to send, or undefined: on adaptive-only models (the 5.x line)
   * effort, not a budget, is how much the model reasons.
   */
  effort: EffortLevel | undefined;
  /** The `max_tokens` to send: the answer's share plus the thinking budget. */
  maxTokens: number;
  /** The classifier's response, when it answered. */
  classification: Message | undefined;
  /** Why the fallback was used, when it was. */
  classifierError?: KeelError;
}

const classifierSystem = [
  'You judge how much reasoning a request to an assistant needs. Answer with one difficulty:',
  '- simple: a lookup, a syntax question, a short factual answer, small talk.',
  '- moderate: an implementation task or an explanation that needs a few steps.',
  '- complex: architecture, a multi-step proof or analysis, a hard bug, trade-offs between designs.',
].join('\n');

/**
 * Asks a cheap model how hard a request is, then picks no thinking, a moderate or a large budget.
 * Keeps average cost low while hard problems get room to reason. The budget is clipped to the
 * answering model's output limit, turned into what the model accepts (adaptive thinking and an
 * effort level on models that have it) and validated.
 */
export async function chooseThinkingBudget(
  options: ChooseThinkingBudgetOptions,
): Promise<ThinkingBudgetChoice> {
  const catalog = options.catalog ?? defaultModelCatalog();
  const budgets = options.budgets ?? defaultThinkingBudgets;
  const answerMaxTokens = options.answerMaxTokens ?? 4096;
  let difficulty: RequestDifficulty;
  let classification: Message | undefined;
  let classifierError: KeelError | undefined;
  try {
    const result = await generateObject({
      caller: options.caller,
      task: options.classifierTask ?? 'classification',
      ...(options.classifierModel === undefined ? {} : { model: options.classifierModel }),
      schema: z.object({ difficulty: z.enum(['simple', 'moderate', 'complex']) }),
      system: classifierSystem,
      messages: [{ role: 'user', content: `Request:\n${options.request}` }],
      maxTokens: 64,
      repairModel: false,
      catalog,
      ...callOptionsOf(options),
    });
    difficulty = result.object.difficulty;
    classification = result.message;
  } catch (error) {
    // A failed classification must not fail the request it was meant to speed up.
    if (!(error instanceof KeelError)) throw error;
    difficulty = options.fallback ?? 'moderate';
    classifierError = error;
  }

  const model = catalog.get(resolveModel(options, options.caller));
  const budget = Math.min(budgets[difficulty], model.maxOutputTokens - answerMaxTokens);
  const { thinking, effort, budgetCounted } = thinkingForModel({
    model: model.id,
    budgetTokens: budget,
    catalog,
  });
  const maxTokens = budgetCounted ? answerMaxTokens + budget : answerMaxTokens;
  validateThinking({
    model: model.id,
    maxTokens,
    catalog,
    ...(thinking ? { thinking } : {}),
    ...(effort ? { effort } : {}),
  });
  return {
    difficulty,
    thinking,
    effort,
    maxTokens,
    classification,
    ...(classifierError ? { classifierError } : {}),
  };
}
