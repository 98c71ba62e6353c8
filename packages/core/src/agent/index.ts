export { runAgent } from './run-agent.ts';
export { streamAgent, type AgentStream } from './stream-agent.ts';
export type { RunAgentOptions } from './agent-options.ts';
export type { AgentOutcome, AgentResult, AgentUsage } from './agent-result.ts';
export type { AgentEvent } from './agent-events.ts';
