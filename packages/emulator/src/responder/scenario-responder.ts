import { ApiError } from '../http/api-error.ts';
import type { MessageRequest } from '../messages/request-schema.ts';
import { latestUserWords } from './conversation.ts';
import type { Reply, ReplyBlock, Responder } from './reply.ts';
import type { ScenarioReply } from './scenario.ts';
import type { ScenarioRegistry } from './scenario-registry.ts';
import { clientTools, toolInput } from './tool-use-reply.ts';

/** Options for {@link scenarioResponder}. */
export interface ScenarioResponderOptions {
  /** The scenarios consulted first. */
  registry: ScenarioRegistry;
  /** What answers when no scenario applies (normally the deterministic responder). */
  fallback: Responder;
}

function toReply(reply: ScenarioReply, name: string, request: MessageRequest): Reply {
  const blocks = reply.content.map((block): ReplyBlock => {
    if (block.type !== 'tool_use' || block.input !== undefined) return block as ReplyBlock;
    // A scripted call without input gets one filled from the user's words, fitting the schema.
    const tool = clientTools(request).find((candidate) => candidate.name === block.name);
    const input = tool ? toolInput(tool, latestUserWords(request)) : {};
    return { ...block, input };
  });
  return {
    blocks,
    ...(reply.stop_reason ? { stopReason: reply.stop_reason } : {}),
    ...(reply.stop_details ? { refusal: reply.stop_details } : {}),
    scenario: name,
  };
}

/**
 * Scenarios first, then the fallback. A scenario forced by name (the `x-keel-scenario` header)
 * answers regardless of its match; an unknown name is a 400. Otherwise the first scenario whose
 * match fits answers with its next reply.
 */
export function scenarioResponder(options: ScenarioResponderOptions): Responder {
  const { registry, fallback } = options;
  return (request, context) => {
    let scenario;
    if (context.forcedScenario !== undefined) {
      scenario = registry.find(context.forcedScenario);
      if (!scenario) {
        const known = registry.list().map((s) => s.name);
        throw new ApiError(
          'invalid_request_error',
          `x-keel-scenario: unknown scenario "${context.forcedScenario}"` +
            (known.length > 0
              ? `; known scenarios: ${known.join(', ')}`
              : '; no scenarios are registered'),
        );
      }
    } else {
      scenario = registry.match(request, context.model.id);
    }
    if (!scenario) return fallback(request, context);
    return toReply(registry.take(scenario).reply, scenario.name, request);
  };
}
