import { fileURLToPath } from 'node:url';
import { loadPromptRegistry, type PromptRegistry } from '../prompts/prompt-registry.ts';
import type { PromptTemplate } from '../prompts/prompt-template.ts';

/** The folder of the prompt files context management sends (shipped next to this module). */
const contextPromptsDirectory = fileURLToPath(new URL('./prompts/', import.meta.url));

/** The prompts context management sends to the cheap model. */
export interface ContextPrompts {
  /** Folds trimmed turns into the running summary (`prompts/context-summary.md`). */
  summary: PromptTemplate;
  /** Extracts facts, decisions and preferences from trimmed turns (`prompts/context-memory.md`). */
  memory: PromptTemplate;
}

let shipped: ContextPrompts | undefined;

/**
 * The shipped context prompts, loaded and validated once per process (a broken file throws
 * PromptFileError when the first ContextManager is built, not in the middle of a turn).
 */
export function contextPrompts(): ContextPrompts {
  if (!shipped) {
    const registry: PromptRegistry = loadPromptRegistry({ directory: contextPromptsDirectory });
    shipped = { summary: registry.get('context-summary'), memory: registry.get('context-memory') };
  }
  return shipped;
}
