export { startEmulator, createEmulatorListener, type EmulatorHandle } from './start-emulator.ts';
export type {
  EmulatorOptions,
  FaultRule,
  FaultType,
  LatencyOptions,
  LatencyPreset,
  RateLimitOptions,
  RecordReplayOptions,
} from './emulator-options.ts';
export { faultTypes, streamOnlyFaults } from './faults/fault-types.ts';
export { AdjustableClock, type Clock } from './clock.ts';
export { sequentialIdGenerator, randomIdGenerator, type IdGenerator } from './ids.ts';
export type {
  Scenario,
  ScenarioBlock,
  ScenarioMatch,
  ScenarioReply,
} from './responder/scenario.ts';
export { ScenarioRegistry, type ScenarioRegistryOptions } from './responder/scenario-registry.ts';
export {
  outcomeScenarios,
  type OutcomeScenarioOptions,
  type OutcomeScenarios,
} from './responder/outcome-scenarios.ts';
export {
  loadScenarioFile,
  parseScenarios,
  ScenarioFileError,
} from './responder/load-scenario-file.ts';
export { defaultResponder } from './responder/default-responder.ts';
export { generateSchemaValue, type SchemaValueOptions } from './responder/schema-values.ts';
export type { Reply, ReplyBlock, Responder, ResponderContext } from './responder/reply.ts';
export { countTextTokens } from './messages/tokenizer.ts';
export {
  EmulatorAdmin,
  EmulatorAdminError,
  type EmulatorAdminOptions,
  type EmulatorClockReading,
} from './admin/emulator-admin-client.ts';
export type { RequestLogEntry, LoggedUsage } from './request-log/request-log.ts';
export type { ApiModelInfo } from './models/model-info.ts';
export type {
  MessageBatch,
  BatchResultLine,
  BatchRequestCounts,
  DeletedMessageBatch,
} from './batches/message-batch.ts';
export { RecordReplayConfigError } from './record-replay/record-replay.ts';
export type { Cassette } from './record-replay/cassette.ts';
export { imageInfo, imageTokens, type ImageInfo } from './messages/image-info.ts';
export { testImages } from './messages/test-images.ts';
export { latencyPresets } from './latency/latency-model.ts';
export { processMessageRequest, type ProcessMessageOptions } from './messages/create-message.ts';
export type { MessageResponse, Usage } from './messages/response-types.ts';
