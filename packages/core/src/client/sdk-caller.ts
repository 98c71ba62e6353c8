import type Anthropic from '@anthropic-ai/sdk';
import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import type {
  MessagesCallOptions,
  MessagesCaller,
  MessagesRequest,
} from '../call/messages-caller.ts';
import { WarnOnce, type WarningListener } from '../warnings/keel-warning.ts';
import { apiVersionOf, headerApiVersion } from './api-version.ts';
import { warnAboutModelLifecycle } from './model-lifecycle-warning.ts';
import { hasSamplingParameters } from './sampling-parameters.ts';
import { withSendableSamplingParameters } from './sendable-sampling-parameters.ts';

function requestOptions(options: MessagesCallOptions | undefined) {
  return {
    ...(options?.signal ? { signal: options.signal } : {}),
    ...(options?.headers ? { headers: options.headers } : {}),
  };
}

/** Options of {@link sdkCaller}. */
export interface SdkCallerOptions {
  /** Catalog that says which models accept sampling parameters; default the shipped one. */
  catalog?: ModelCatalog;
  /** Told once about each setting left out (a rejected `temperature`). Default: `process.emitWarning`. */
  onWarning?: WarningListener;
}

/**
 * Adapts the official SDK client. Tags are dropped: the bare SDK keeps no ledger. Sampling
 * fields go out only where the client's API version and the model accept them (see
 * `sampling-parameters.ts`); a non-default value left out is warned about once.
 */
export function sdkCaller(client: Anthropic, options: SdkCallerOptions = {}): MessagesCaller {
  const apiVersion = apiVersionOf(client);
  const catalog = options.catalog ?? defaultModelCatalog();
  const warnings = new WarnOnce(options.onWarning);
  const body = (request: MessagesRequest, callOptions: MessagesCallOptions | undefined) => {
    warnAboutModelLifecycle({ model: request.model, catalog, warnings, now: Date.now() });
    if (!hasSamplingParameters(request)) return request;
    return withSendableSamplingParameters(request, {
      apiVersion: headerApiVersion(callOptions?.headers) ?? apiVersion,
      catalog,
      warnings,
    });
  };
  return {
    apiVersion,
    create: (request, callOptions) =>
      client.messages.create(
        { ...body(request, callOptions), stream: false },
        requestOptions(callOptions),
      ),
    stream: (request, callOptions) =>
      client.messages.stream(body(request, callOptions), requestOptions(callOptions)),
  };
}
