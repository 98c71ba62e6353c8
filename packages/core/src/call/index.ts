export type { CallTags } from './call-tags.ts';
export { tokenUsage, type TokenUsage } from './token-usage.ts';
export { outcomeFromStopReason, type CallOutcome, type CallResult } from './call-result.ts';
export type { CallRecord } from './call-record.ts';
export type { CallRecorder } from './call-recorder.ts';
export type { CallStart } from './call-start.ts';
export type { SamplingParameters } from './sampling-parameters.ts';
export type {
  MessagesCallOptions,
  MessagesCaller,
  MessagesRequest,
  MessagesStream,
} from './messages-caller.ts';
export {
  contentBlocks,
  historyProblems,
  safeCutPoints,
  type ContentBlockParam,
  type MessageParam,
} from './conversation-shape.ts';
export type { TokenCounts } from '@keel/protocol';
