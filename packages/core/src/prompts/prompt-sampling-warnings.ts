import type { ModelCatalog } from '@keel/models';
import {
  decideSamplingParameters,
  describeDroppedSamplingParameters,
} from '../client/sampling-parameters.ts';
import type { PromptFrontMatter } from './prompt-schema.ts';

/** A setting of a prompt file that will not reach the model. */
export interface PromptSamplingWarning {
  /** The front matter field (`temperature`, `environments.production.temperature`). */
  field: string;
  /** What is not sent, why, and what to do. */
  message: string;
}

/**
 * The prompt's `temperature` settings that its model and the API version will not accept, so
 * the client will leave them out: all of them under 2026-10-21, non-default ones on a
 * `defaults-only` model under 2023-06-01. Checked for the base settings and each environment.
 * A prompt routed by `task` alone has no model to check until call time, except that no model
 * takes sampling parameters under 2026-10-21.
 */
export function promptSamplingWarnings(
  front: PromptFrontMatter,
  options: { apiVersion: string; catalog: ModelCatalog },
): PromptSamplingWarning[] {
  const warnings: PromptSamplingWarning[] = [];
  const check = (field: string, model: string | undefined, temperature: number | undefined) => {
    if (temperature === undefined) return;
    const info = model === undefined ? undefined : options.catalog.find(model);
    const decision = decideSamplingParameters({
      apiVersion: options.apiVersion,
      model: info,
      parameters: { temperature },
    });
    if (decision.dropped.length === 0) return;
    const target = info?.id ?? model ?? `the model of task "${front.task ?? ''}"`;
    warnings.push({
      field,
      message: describeDroppedSamplingParameters({
        dropped: decision.dropped,
        model: target,
        apiVersion: options.apiVersion,
      }),
    });
  };
  check('temperature', front.model, front.temperature);
  for (const [name, override] of Object.entries(front.environments)) {
    if (!override || (override.temperature === undefined && override.model === undefined)) continue;
    const field =
      override.temperature === undefined ? 'temperature' : `environments.${name}.temperature`;
    const before = warnings.length;
    check(field, override.model ?? front.model, override.temperature ?? front.temperature);
    // The same finding for the same field and model is said once.
    const added = warnings[before];
    if (added && warnings.slice(0, before).some((w) => w.message === added.message)) {
      warnings.pop();
    }
  }
  return warnings;
}
