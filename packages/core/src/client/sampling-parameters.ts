import type { ModelInfo } from '@keel/models';
import type { SamplingParameters } from '../call/sampling-parameters.ts';

/**
 * The one place that decides which sampling parameters (`temperature`, `top_p`, `top_k`) Keel
 * sends. Every path that talks to the API (the client's attempts, `sdkCaller`, token counting,
 * batches) and the prompt loader's warnings go through it.
 *
 * - API version `2026-10-21` and later: the three fields do not exist; the API answers 400
 *   (`temperature: Extra inputs are not permitted`) even at default values.
 *   Source: https://platform.claude.com/docs/en/api/migration-2026-10-21 ("Breaking changes").
 * - `2023-06-01`: a model whose catalog entry says `samplingParameters: 'defaults-only'` (the 5.x
 *   models) rejects non-default values; other models accept them.
 *
 * Keel never sends what would be rejected. A value that differs from the API's default is
 * reported as dropped, so the caller warns (the answer will not be sampled as asked); a value
 * equal to the default (temperature 1) is left out silently, since that changes nothing.
 */

export type SamplingParameterName = keyof SamplingParameters;

export const samplingParameterNames: readonly SamplingParameterName[] = [
  'temperature',
  'top_p',
  'top_k',
];

/** The first API version without sampling parameters (versions are ISO dates, so they sort). */
export const samplingParametersRemovedIn = '2026-10-21';

/** The API's default `temperature`; `top_p` and `top_k` have none (unset means not applied). */
const defaultTemperature = 1;

/** What a version and model accept: every value, only defaults, or none at all. */
export type SamplingRule = 'any' | 'defaults-only' | 'none';

/** Why a parameter was left out. */
type SamplingDropReason =
  /** The API version has no sampling parameters. */
  | 'api_version'
  /** The model accepts only default values. */
  | 'model';

/** A parameter the caller set to a non-default value that is not sent. */
export interface DroppedSamplingParameter {
  name: SamplingParameterName;
  value: number;
  reason: SamplingDropReason;
}

/** Which sampling parameters go out, and which non-default ones were left out. */
export interface SamplingDecision {
  rule: SamplingRule;
  /** The parameters to send (empty unless the rule is `any`). */
  send: SamplingParameters;
  /** Non-default values left out: the answer will not be sampled as the caller asked. */
  dropped: DroppedSamplingParameter[];
}

/** What the API accepts for this version and model (an unknown model is given the benefit). */
export function samplingRule(options: {
  apiVersion: string;
  model: Pick<ModelInfo, 'capabilities'> | undefined;
}): SamplingRule {
  if (options.apiVersion >= samplingParametersRemovedIn) return 'none';
  return options.model?.capabilities.samplingParameters ?? 'any';
}

/** True when the object carries any sampling field (cheap: checked on every call). */
export function hasSamplingParameters(value: SamplingParameters): boolean {
  return value.temperature !== undefined || value.top_p !== undefined || value.top_k !== undefined;
}

/** Decides what to send of the caller's sampling parameters. Pure; the caller warns. */
export function decideSamplingParameters(options: {
  /** The `anthropic-version` the request goes out with. */
  apiVersion: string;
  /** The catalog entry of the model the request goes to, when known. */
  model: Pick<ModelInfo, 'capabilities'> | undefined;
  /** The caller's values (other fields are ignored). */
  parameters: SamplingParameters;
}): SamplingDecision {
  const rule = samplingRule(options);
  const send: SamplingParameters = {};
  const dropped: DroppedSamplingParameter[] = [];
  for (const name of samplingParameterNames) {
    const value = options.parameters[name];
    if (value === undefined) continue;
    if (rule === 'any') send[name] = value;
    else if (!(name === 'temperature' && value === defaultTemperature)) {
      dropped.push({ name, value, reason: rule === 'none' ? 'api_version' : 'model' });
    }
  }
  return { rule, send, dropped };
}

/** One sentence for a warning: what is not sent, why, and what to do. */
export function describeDroppedSamplingParameters(options: {
  dropped: readonly DroppedSamplingParameter[];
  model: string;
  apiVersion: string;
}): string {
  const list = options.dropped.map((item) => `${item.name} ${item.value}`).join(', ');
  const byVersion = options.dropped.some((item) => item.reason === 'api_version');
  const why = byVersion
    ? `API version ${options.apiVersion} has no sampling parameters (the API answers 400 to them)`
    : `${options.model} accepts only default sampling parameters`;
  const them = options.dropped.length === 1 ? 'it' : 'them';
  const fix = byVersion
    ? `remove ${them}, or send anthropic-version 2023-06-01 to a model that accepts ${them}`
    : `remove ${them}, or use a model that accepts ${them}`;
  return `${list} not sent to ${options.model}: ${why}; ${fix}`;
}
