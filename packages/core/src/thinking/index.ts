export { ThinkingConfigError } from './thinking-config-error.ts';
export {
  MIN_THINKING_BUDGET,
  validateThinking,
  type EffortLevel,
  type ThinkingValidation,
  type ValidateThinkingOptions,
} from './validate-thinking.ts';
export {
  thinkingForModel,
  type ThinkingForModel,
  type ThinkingForModelOptions,
} from './thinking-for-model.ts';
export {
  splitThinking,
  thinkingForLog,
  type SplitThinking,
  type ThinkingForLogOptions,
} from './split-thinking.ts';
