export {
  parseChatEvent,
  type AssistantMode,
  type ChatEvent,
  type Citation,
  type TurnUsage,
} from './chat-events.ts';
export { readChatEvents, readSseEvents } from './read-sse-events.ts';
export { SseParser, type SseMessage } from './sse-parser.ts';
export {
  parseTurnOutcome,
  turnOutcomes,
  type OutcomeNotice,
  type TurnOutcome,
} from './turn-outcome.ts';
export type { CallTags } from './call-tags.ts';
export type {
  MessagesCallOptions,
  MessagesCaller,
  MessagesRequest,
  MessagesStream,
} from './messages-caller.ts';
export type { SamplingParameters } from './sampling-parameters.ts';
export type { TokenCounts } from './token-counts.ts';
