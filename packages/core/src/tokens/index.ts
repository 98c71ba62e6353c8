export {
  countTokens,
  type CountTokensOptions,
  type TokenCount,
  type TokenCountMode,
} from './count-tokens.ts';
export { estimateInputTokens, estimateTextTokens } from './estimate-tokens.ts';
