import { fileURLToPath } from 'node:url';

/**
 * `@keel/web` is a browser app; what it exports to Node is its build folder and the pieces that
 * speak the server's wire format (usable by any client of the assistant's HTTP API).
 */

/** Where `vite build` writes the UI (`packages/web/dist`); the server serves it at `/`. */
export const webDistDirectory = fileURLToPath(new URL('../dist', import.meta.url));

export { ApiClient, type ApiClientOptions } from './api/api-client.ts';
export { ApiError } from './api/api-error.ts';
export type * from './api/api-types.ts';
export {
  parseChatEvent,
  readChatEvents,
  SseParser,
  type ChatEvent,
  type Citation,
  type SseMessage,
  type TurnUsage,
} from '@keel/protocol';
export { streamChat, type StreamChatOptions } from './api/stream-chat.ts';
export { renderMarkdown } from './markdown/render-markdown.ts';
