export {
  checkAssertion,
  fieldAt,
  type AssertionOutcome,
  type RubricJudge,
} from './check-assertion.ts';
export { assertionSchema, parseGoldenSet, type Assertion, type GoldenCase } from './golden-case.ts';
export { runEval, type EvalCaseResult, type EvalResult, type RunEvalOptions } from './run-eval.ts';
