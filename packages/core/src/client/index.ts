export { createKeel } from './create-keel.ts';
export {
  createKeelFromConfig,
  type ConfiguredKeel,
  type KeelFromConfigOptions,
} from './create-keel-from-config.ts';
export { sdkCaller, type SdkCallerOptions } from './sdk-caller.ts';
export { KeelClient } from './keel-client.ts';
export { keelCaller, rawStreamEvents, type KeelCallerDefaults } from './keel-caller.ts';
export type { KeelClientOptions } from './keel-client-options.ts';
export type { KeelRequest } from './keel-request.ts';
export type { CallHold, CallOptions, TruncationPolicy } from './call-options.ts';
export type { RetryNotice } from './retry-notice.ts';
export { KeelStream } from './keel-stream.ts';
export type {
  ContentBlockStartEvent,
  ContentBlockStopEvent,
  FinishEvent,
  KeelStreamEvent,
  MessageStartEvent,
  TextDeltaEvent,
  ThinkingDeltaEvent,
  ToolInputDeltaEvent,
} from './stream-events.ts';
export { continuationRequest } from './continuation-request.ts';
export { apiVersionOf, headerApiVersion, sdkDefaultApiVersion } from './api-version.ts';
export {
  decideSamplingParameters,
  samplingParameterNames,
  samplingParametersRemovedIn,
  samplingRule,
  type DroppedSamplingParameter,
  type SamplingDecision,
  type SamplingParameterName,
  type SamplingRule,
} from './sampling-parameters.ts';
export { isTruncationStop, truncationStopReasons } from './truncation-stop.ts';
export { CallAbortedError, type CallAbortedErrorDetails } from './call-aborted-error.ts';
export {
  StreamInterruptedError,
  type StreamInterruptedErrorDetails,
} from './stream-interrupted-error.ts';
export {
  TruncatedOutputError,
  type TruncatedOutputErrorDetails,
} from './truncated-output-error.ts';
