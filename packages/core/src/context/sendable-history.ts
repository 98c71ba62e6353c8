import { contentBlocks, type MessageParam } from '../call/conversation-shape.ts';
import type { StoredMessage } from './conversation-store.ts';

/**
 * The stored history as it may be sent. Only finished turns are sent: never `streaming`,
 * `incomplete` or `failed` ones (a turn the API refused is left out with its user message, so it
 * cannot make every later request fail). Consecutive turns of one role (left by a dropped
 * answer) are merged.
 */
export function sendableHistory(stored: readonly StoredMessage[]): MessageParam[] {
  const out: MessageParam[] = [];
  for (const entry of stored) {
    if (entry.status !== 'complete') continue;
    const previous = out[out.length - 1];
    if (previous && previous.role === entry.message.role) {
      out[out.length - 1] = {
        role: previous.role,
        content: [...contentBlocks(previous), ...contentBlocks(entry.message)],
      } as MessageParam;
    } else {
      out.push(entry.message);
    }
  }
  return out;
}

/**
 * The stored history with a message not stored yet (the new user message, when the caller stores
 * it only once the turn is admitted) appended as the next finished turn.
 */
export function withUnstoredMessage(
  stored: readonly StoredMessage[],
  message: MessageParam | undefined,
): readonly StoredMessage[] {
  if (!message) return stored;
  const last = stored.at(-1);
  return [
    ...stored,
    {
      conversationId: last?.conversationId ?? '',
      seq: (last?.seq ?? 0) + 1,
      message,
      status: 'complete',
      createdAtMs: 0,
    },
  ];
}
