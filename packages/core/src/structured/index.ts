export {
  generateObject,
  validateAnswer,
  type GenerateObjectOptions,
  type GenerateObjectResult,
} from './generate-object.ts';
export {
  StructuredOutputError,
  type StructuredOutputErrorDetails,
  type StructuredOutputFailure,
} from './structured-output-error.ts';
export {
  repairOutput,
  type RepairOutputOptions,
  type RepairOutputResult,
} from './repair-output.ts';
export {
  chooseThinkingBudget,
  defaultThinkingBudgets,
  type ChooseThinkingBudgetOptions,
  type RequestDifficulty,
  type ThinkingBudgetChoice,
  type ThinkingBudgets,
} from './choose-thinking-budget.ts';
