import type { ModelInfo } from '@keel/models';
import type { Clock } from '../clock.ts';
import { ApiError } from '../http/api-error.ts';

/** What a request's `model` resolves against: the catalog and the emulator's clock. */
export interface ResolveModelOptions {
  /** Looks an id or alias up in the catalog. */
  find: (name: string) => ModelInfo | undefined;
  /** The emulator's clock: a model whose retirement date has come is retired. */
  clock: Clock;
}

const retirementMs = new WeakMap<ModelInfo, number>();

/** Midnight UTC of the model's retirement date, or Infinity when none is announced. */
function retiresAtMs(model: ModelInfo): number {
  let ms = retirementMs.get(model);
  if (ms === undefined) {
    const { retiresAt } = model.lifecycle;
    ms = retiresAt === null ? Infinity : Date.parse(`${retiresAt}T00:00:00Z`);
    retirementMs.set(model, ms);
  }
  return ms;
}

/**
 * True when requests naming the model fail at time `nowMs`: from its retirement date on (so a
 * test clock set before the date still reaches the model), or always when the catalog calls it
 * retired without a date.
 */
function isRetiredAt(model: ModelInfo, nowMs: number): boolean {
  if (model.lifecycle.retiresAt === null) return model.lifecycle.status === 'retired';
  return nowMs >= retiresAtMs(model);
}

/**
 * The catalog entry a Messages or count_tokens request names. An unknown model and a retired
 * one fail alike: the real API answers 404 `not_found_error` with `model: <name as sent>` once a
 * model is past its retirement date (e.g. `{"type":"not_found_error","message":"model:
 * claude-sonnet-4-20250514"}`, github.com/vicharanashala/vibe/issues/1259; "Requests to retired
 * models will fail", platform.claude.com/docs/en/about-claude/model-deprecations).
 *
 * A deprecated model still answers and nothing is added to the response: the docs name no
 * warning header or field for it (the deprecations page says customers are notified by email;
 * the official SDK itself prints a console warning from its own table of deprecated models).
 */
export function resolveModel(name: string, options: ResolveModelOptions): ModelInfo {
  const model = options.find(name);
  if (!model || isRetiredAt(model, options.clock.now())) {
    throw new ApiError('not_found_error', `model: ${name}`);
  }
  return model;
}
