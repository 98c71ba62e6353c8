import type { RunAgentOptions } from './agent-options.ts';
import type { AgentResult } from './agent-result.ts';
import { agentLoop } from './agent-loop.ts';
import { callOptionsOf } from './call-context.ts';

/**
 * Runs the tool loop to a typed outcome: `completed`, or the stop condition that ended it
 * (`max_iterations`, `max_cost`), `truncated`, `refused` or `aborted`. Tool failures of every kind
 * go back to the model as `is_error` results; only API failures throw.
 */
export function runAgent(options: RunAgentOptions): Promise<AgentResult> {
  return agentLoop(options, (request, signal) =>
    options.caller.create(request, callOptionsOf(options, signal)),
  );
}
