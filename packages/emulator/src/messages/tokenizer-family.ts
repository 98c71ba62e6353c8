import type { TokenizerFamily } from './tokenizer.ts';

/** What the emulator needs of a model to count its tokens. */
export interface CountingModel {
  id: string;
  /** The catalog's tokenizer family, when the catalog entry has one. */
  tokenizer?: TokenizerFamily | undefined;
}

/**
 * Models on the newer tokenizer by id, for catalog entries without a `tokenizer` field: "Claude
 * Opus 4.7 and later Opus models, Claude Fable 5, Claude Mythos 5, Claude Mythos Preview, and
 * Claude Sonnet 5 use a newer tokenizer" (https://platform.claude.com/docs/en/build-with-claude/token-counting),
 * and the 5.x models after them.
 */
const newerTokenizerIds = /^claude-(?:opus-4-[7-9](?!\d)|(?:opus|sonnet|haiku)-[5-9]|fable|mythos)/;

/** The tokenizer family of a model: its catalog field, else inferred from the id. */
export function tokenizerFamilyOf(model: CountingModel | string): TokenizerFamily {
  if (typeof model !== 'string' && model.tokenizer) return model.tokenizer;
  const id = typeof model === 'string' ? model : model.id;
  return newerTokenizerIds.test(id) ? 'claude-4-7' : 'claude-3';
}
