import { z } from 'zod';
import type { MessagesCallOptions, MessagesCaller } from '../call/messages-caller.ts';
import type { PromptTemplate } from '../prompts/prompt-template.ts';
import { generateObject } from '../structured/generate-object.ts';
import type { ToolLogger } from '../tools/tool-context.ts';
import type { ConversationMemory } from './conversation-store.ts';

/** The answer the memory prompt (prompts/context-memory.md) asks for. */
const extractedMemorySchema = z.object({
  facts: z
    .array(z.string())
    .describe('Concrete facts the user stated (ids, names, numbers, dates)'),
  decisions: z.array(z.string()).describe('Decisions taken in the conversation'),
  preferences: z.array(z.string()).describe('Stated preferences of the user'),
});

/**
 * How many items of each kind the memory keeps, newest first: it is pinned in every request, so
 * it stays a few hundred tokens (40 short facts and 20 of each other kind at about 10 tokens
 * each). Chosen, not measured; facts get more room because recall questions are mostly about them.
 */
export const memoryItemLimits: Readonly<Record<keyof ConversationMemory, number>> = {
  facts: 40,
  decisions: 20,
  preferences: 20,
};

/** Trimmed, distinct, non-empty items, the newest `limit` kept. */
function compact(list: readonly string[], limit: number): string[] {
  return [...new Set(list.map((item) => item.trim()).filter(Boolean))].slice(-limit);
}

/** The memory with newly extracted items added, kept within {@link memoryItemLimits}. */
export function mergeMemory(
  memory: ConversationMemory,
  extracted: ConversationMemory,
): ConversationMemory {
  return {
    facts: compact([...memory.facts, ...extracted.facts], memoryItemLimits.facts),
    decisions: compact([...memory.decisions, ...extracted.decisions], memoryItemLimits.decisions),
    preferences: compact(
      [...memory.preferences, ...extracted.preferences],
      memoryItemLimits.preferences,
    ),
  };
}

/** Options of {@link extractMemory}. */
export interface ExtractMemoryOptions {
  caller: MessagesCaller;
  model: string;
  /** The memory prompt (prompts/context-memory.md). */
  prompt: PromptTemplate;
  memory: ConversationMemory;
  /** The newly trimmed turns, one `role: text` line each. */
  transcript: string;
  /** The user and session that pay for the call; the feature is always `context-memory`. */
  tags?: MessagesCallOptions['tags'];
  logger: ToolLogger;
}

/**
 * Adds the facts, decisions and preferences of newly trimmed turns to the memory. Memory is an
 * optimisation: when the extraction fails (a refused or failed call, an answer that does not
 * fit the schema) the previous memory is kept and the failure is logged, never thrown.
 */
export async function extractMemory(options: ExtractMemoryOptions): Promise<ConversationMemory> {
  const prompt = options.prompt.render({ transcript: options.transcript });
  try {
    const { object } = await generateObject({
      caller: options.caller,
      model: options.model,
      schema: extractedMemorySchema,
      system: prompt.system,
      messages: prompt.messages,
      maxTokens: prompt.maxTokens,
      tags: { ...options.tags, ...prompt.tags, feature: 'context-memory' },
    });
    return mergeMemory(options.memory, object);
  } catch (error) {
    options.logger.warn(
      { event: 'context_memory_kept', err: error, model: options.model },
      'extracting memory from trimmed turns failed; the previous memory is kept',
    );
    return options.memory;
  }
}
