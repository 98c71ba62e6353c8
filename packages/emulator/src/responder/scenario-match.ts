import type { MessageRequest } from '../messages/request-schema.ts';
import { lastToolResults, latestUserWords, systemText } from './conversation.ts';
import type { ScenarioMatch } from './scenario.ts';
import { scenarioRegExp } from './scenario-schema.ts';

/** True when the request fits every condition of the match (an empty match fits everything). */
export function scenarioMatches(
  match: ScenarioMatch | undefined,
  request: MessageRequest,
  modelId?: string,
): boolean {
  if (!match) return true;
  const words = latestUserWords(request);
  if (match.userContains) {
    const lower = words.toLowerCase();
    if (!match.userContains.every((part) => lower.includes(part.toLowerCase()))) return false;
  }
  if (match.userMatches !== undefined && !scenarioRegExp(match.userMatches).test(words))
    return false;
  if (match.systemContains !== undefined && !systemText(request).includes(match.systemContains)) {
    return false;
  }
  if (match.model !== undefined && match.model !== request.model && match.model !== modelId) {
    return false;
  }
  if (match.afterToolResult !== undefined) {
    if (match.afterToolResult !== lastToolResults(request).length > 0) return false;
  }
  if (
    match.hasTool !== undefined &&
    !(request.tools ?? []).some((tool) => tool.name === match.hasTool)
  ) {
    return false;
  }
  return true;
}
