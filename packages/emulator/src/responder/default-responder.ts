import type { Reply, Responder } from './reply.ts';
import type { MessageRequest } from '../messages/request-schema.ts';

/** The text of the last user message (text blocks only). */
export function lastUserText(request: MessageRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i]!;
    if (message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    return message.content
      .flatMap((block) => (block.type === 'text' ? [block.text] : []))
      .join('\n');
  }
  return '';
}

/** PLACEHOLDER until the full deterministic responder lands: answers with a short echo. */
export const defaultResponder: Responder = (request): Reply => {
  const text = lastUserText(request);
  return { blocks: [{ type: 'text', text: `You said: ${text.slice(0, 200)}` }] };
};
