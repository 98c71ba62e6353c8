import type { ModelCatalog } from '@keel/models';
import type { WarnOnce } from '../warnings/keel-warning.ts';
import {
  decideSamplingParameters,
  describeDroppedSamplingParameters,
} from './sampling-parameters.ts';
import type { SamplingParameters } from '../call/sampling-parameters.ts';

/**
 * The sampling fields a request to `model` may carry under `apiVersion`, warning once (per model,
 * version and parameter set) about non-default values left out. The client's attempts,
 * `sdkCaller` and batches all send through this.
 */
export function sendableSamplingParameters(options: {
  parameters: SamplingParameters;
  model: string;
  apiVersion: string;
  catalog: ModelCatalog;
  warnings: WarnOnce;
}): SamplingParameters {
  const { model, apiVersion } = options;
  const decision = decideSamplingParameters({
    apiVersion,
    model: options.catalog.find(model),
    parameters: options.parameters,
  });
  const dropped = decision.dropped;
  if (dropped.length > 0) {
    const names = dropped.map((item) => item.name).join(',');
    options.warnings.warn(`sampling:${apiVersion}:${model}:${names}`, {
      code: 'sampling_parameters_dropped',
      message: `Keel: ${describeDroppedSamplingParameters({ dropped, model, apiVersion })}`,
      details: { model, apiVersion, dropped: dropped.map((item) => ({ ...item })) },
    });
  }
  return decision.send;
}

/** The request without its sampling fields, then those that may be sent. */
export function withSendableSamplingParameters<
  Request extends SamplingParameters & { model: string },
>(
  request: Request,
  options: { apiVersion: string; catalog: ModelCatalog; warnings: WarnOnce },
): Request {
  const { temperature: _temperature, top_p: _topP, top_k: _topK, ...rest } = request;
  return {
    ...rest,
    ...sendableSamplingParameters({ ...options, parameters: request, model: request.model }),
  } as Request;
}
