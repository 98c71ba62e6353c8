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
export { AdjustableClock, type Clock } from './clock.ts';
export { sequentialIdGenerator, randomIdGenerator, type IdGenerator } from './ids.ts';
export type {
  Scenario,
  ScenarioBlock,
  ScenarioMatch,
  ScenarioReply,
} from './responder/scenario.ts';
export { countTextTokens } from './messages/tokenizer.ts';
