import type { MessageRequest, ToolParam } from '../messages/request-schema.ts';
import type { ReplyBlock } from './reply.ts';
import type { JsonSchema } from './json-schema.ts';
import { generateSchemaValue } from './schema-values.ts';
import { contextNotes, systemText } from './conversation.ts';
import { workingDirectoryIn } from './file-paths.ts';
import { instructedTool } from './instructed-tool.ts';
import { repeatedInputs } from './repeated-calls.ts';
import { analyzedText } from './text-facts.ts';
import { selectTools, textForTool } from './tool-selection.ts';
import { pick } from './words.ts';

/** Fills a tool's input from the text so that it satisfies the tool's `input_schema`. */
export function toolInput(
  tool: ToolParam,
  text: string,
  options: { workingDirectory?: string | undefined } = {},
): Record<string, unknown> {
  const schema = tool.input_schema as JsonSchema;
  const value = generateSchemaValue(schema, {
    text,
    ...(options.workingDirectory ? { workingDirectory: options.workingDirectory } : {}),
  });
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * The client tools the model can call: the ones with an input schema (server tools are not
 * called), except those marked `defer_loading` (the model sees a deferred tool only once a tool
 * search has loaded it; Claude Code sends such a placeholder with its tool-search beta).
 */
export function clientTools(request: Pick<MessageRequest, 'tools'>): ToolParam[] {
  return (request.tools ?? []).filter(
    (tool) =>
      (tool.type === undefined || tool.type === 'custom') &&
      (tool as { defer_loading?: unknown }).defer_loading !== true,
  );
}

function listNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * The tool calls for the user's words, or undefined when no tool fits and none is forced. With
 * `auto` a short sentence precedes the calls; with a forced choice the API prefills the turn, so
 * the calls come alone.
 */
export function toolUseReply(
  request: Pick<MessageRequest, 'tools' | 'tool_choice' | 'system' | 'messages'>,
  fullText: string,
): ReplyBlock[] | undefined {
  const text = analyzedText(fullText);
  const offered = clientTools(request);
  // "Always call X" in the system prompt binds an `auto` choice as a named choice would.
  const instructed =
    (request.tool_choice?.type ?? 'auto') === 'auto'
      ? instructedTool(systemText(request), offered)
      : undefined;
  const tools = instructed
    ? [instructed]
    : selectTools({
        tools: offered,
        ...(request.tool_choice ? { toolChoice: request.tool_choice } : {}),
        text,
      });
  if (tools.length === 0) return undefined;
  const choice = request.tool_choice;
  const parallel = !(
    choice &&
    'disable_parallel_tool_use' in choice &&
    choice.disable_parallel_tool_use
  );
  const workingDirectory = workingDirectoryIn(contextNotes(request));
  const calls: ReplyBlock[] = tools.flatMap((tool) => {
    const input = toolInput(tool, tools.length > 1 ? textForTool(tool, text) : text, {
      workingDirectory,
    });
    // One tool asked about several things at once gets one call per thing.
    const inputs = parallel && tools.length === 1 ? repeatedInputs(tool, input, text) : [input];
    return inputs.map((each): ReplyBlock => ({ type: 'tool_use', name: tool.name, input: each }));
  });
  const forced = request.tool_choice?.type === 'any' || request.tool_choice?.type === 'tool';
  if (forced) return calls;
  const names = listNames(tools.map((tool) => tool.name));
  const preface = pick(
    [
      `I'll look that up using ${names}.`,
      `Let me check that with ${names}.`,
      `I'll use ${names} to find out.`,
    ],
    text,
  );
  return [{ type: 'text', text: preface }, ...calls];
}
