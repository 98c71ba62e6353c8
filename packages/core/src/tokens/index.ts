export {
  countTokens,
  type CountTokensOptions,
  type TokenCount,
  type TokenCountMode,
} from './count-tokens.ts';
export {
  estimateInputTokens,
  estimateTextTokens,
  type EstimateOptions,
  type TokenizerFamily,
} from './estimate-tokens.ts';
export { tokenizerForModel } from './tokenizer-for-model.ts';
