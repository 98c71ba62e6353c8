import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import type { TokenizerFamily } from './estimate-text-tokens.ts';

/**
 * The tokenizer family of the model a request calls, from the catalog; undefined for a model the
 * catalog does not know, so estimates fall back to the larger (newer) tokenizer.
 */
export function tokenizerForModel(
  model: string | undefined,
  catalog: ModelCatalog = defaultModelCatalog(),
): TokenizerFamily | undefined {
  return model === undefined ? undefined : catalog.find(model)?.tokenizer;
}
