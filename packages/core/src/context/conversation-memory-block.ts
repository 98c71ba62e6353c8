import type { ContentBlockParam } from '../call/conversation-shape.ts';
import type { ContextState } from './conversation-store.ts';

const bulletList = (items: readonly string[]) => items.map((item) => `- ${item}`).join('\n');

/**
 * The summary and memory of trimmed turns as one pinned text block, `<conversation_memory>`; no
 * block when there is nothing to remember yet.
 */
export function conversationMemoryBlock(
  context: Pick<ContextState, 'summary' | 'memory'>,
): ContentBlockParam[] {
  const { summary, memory } = context;
  const parts: string[] = [];
  if (summary) parts.push(`Summary of earlier turns:\n${summary}`);
  if (memory.facts.length) parts.push(`Facts:\n${bulletList(memory.facts)}`);
  if (memory.decisions.length) parts.push(`Decisions:\n${bulletList(memory.decisions)}`);
  if (memory.preferences.length) parts.push(`Preferences:\n${bulletList(memory.preferences)}`);
  if (parts.length === 0) return [];
  return [
    { type: 'text', text: `<conversation_memory>\n${parts.join('\n\n')}\n</conversation_memory>` },
  ];
}
