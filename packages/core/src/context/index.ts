export {
  ContextOverflowError,
  fullHistory,
  lastMessages,
  messageText,
  steppedWindow,
  tokenBudget,
  type MessageTokenCounter,
  type SteppedWindowOptions,
  type TrimInput,
  type TrimResult,
  type TrimState,
  type TrimStrategy,
} from './trim-strategy.ts';
export {
  bytesWithoutImageData,
  fitRequestMedia,
  omittedImageText,
  unreadableImageText,
  type FitRequestMediaOptions,
  type FitRequestMediaResult,
} from './fit-request-media.ts';
export { recallTrimmed, type RecallOptions, type RecalledPassage } from './recall-trimmed.ts';
export {
  ConversationNotFoundError,
  ConversationStore,
  conversationMigrations,
  type ContextState,
  type Conversation,
  type ConversationMemory,
  type ConversationStoreOptions,
  type StoredMessage,
  type StoredMessageStatus,
} from './conversation-store.ts';
export {
  ContextManager,
  type CheapModelOptions,
  type ContextManagerOptions,
  type PrepareTurnOptions,
  type PreparedTurn,
} from './context-manager.ts';
