import type { ChatEvent } from '@keel/protocol';

// The wire events are defined once, in @keel/protocol, which the web UI imports too.
export type {
  AssistantMode,
  ChatEvent,
  OutcomeNotice,
  TurnOutcome,
  TurnUsage,
} from '@keel/protocol';

/** Writes one event to the client; resolves when it is handed to the socket. */
export type EmitChatEvent = (event: ChatEvent) => void;
