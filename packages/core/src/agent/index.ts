export { runAgent } from './run-agent.ts';
export { streamAgent, type AgentStream } from './stream-agent.ts';
export type { ExtraRequestFields, RunAgentOptions } from './agent-options.ts';
export type { AgentOutcome, AgentResult } from './agent-result.ts';
export type { AgentEvent } from './agent-events.ts';
export type { CallContext } from './call-context.ts';
export { resolveModel, type ModelSettings } from './model-settings.ts';
export {
  allOf,
  anyOf,
  costExceeds,
  stepCountIs,
  toolCalled,
  type AgentStepState,
  type AgentStop,
  type StopCondition,
} from './stop-condition.ts';
