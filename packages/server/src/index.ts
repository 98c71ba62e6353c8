export {
  createAssistantLogger,
  openAssistantRuntime,
  type AssistantRuntime,
  type AssistantRuntimeOptions,
} from './app/assistant-runtime.ts';
export {
  createAssistantApp,
  type AssistantApp,
  type AssistantAppOptions,
} from './app/create-assistant-app.ts';
export {
  startAssistantServer,
  type AssistantServer,
  type StartAssistantServerOptions,
} from './app/start-assistant-server.ts';
export { ListenError } from './app/listen-error.ts';
export {
  assistantToolNames,
  demoConfigPath,
  loadAssistantConfig,
  parseAssistantConfig,
  type AssistantConfig,
  type AssistantToolName,
} from './config/assistant-config.ts';
export type { AssistantMode, ChatEvent, TurnUsage } from './chat/chat-events.ts';
export {
  describeOutcome,
  turnOutcomes,
  type OutcomeNotice,
  type TurnOutcome,
} from './chat/turn-outcome.ts';
export { AccountStore, type Account, type AccountRole } from './accounts/account-store.ts';
export type { DemoAccount } from './demo/acme-store.ts';
export { RateLimitedError } from './limits/request-rate-limiter.ts';
export { errorResponse, type ErrorBody } from './http/http-errors.ts';
export { readSseEvents, type SseMessage } from '@keel/protocol';
export {
  AssistantClient,
  AssistantApiError,
  type AssistantClientOptions,
} from './client/assistant-client.ts';
