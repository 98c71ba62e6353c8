import type { ToolResultBlockParam, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import type { AgentTool, ToolOutput } from './define-tool.ts';
import { childLogger, type Principal, type ToolLogger } from './tool-context.ts';

/** How a tool call ended. Everything but `ok` is sent to the model as an `is_error` result. */
export type ToolCallStatus =
  /** The handler returned. */
  | 'ok'
  /** The handler threw. */
  | 'error'
  /** The model named a tool that does not exist. */
  | 'unknown_tool'
  /** The model's input failed the tool's schema; the handler did not run. */
  | 'invalid_input'
  /** The handler did not finish within the timeout; its signal was aborted. */
  | 'timeout'
  /** The run was aborted while the tool ran. */
  | 'aborted'
  /** The tool was not run because the loop stopped at a cap. */
  | 'skipped';

/** One executed (or refused) tool call. */
export interface ToolCallRecord {
  toolUseId: string;
  /** The tool name as the model wrote it. */
  name: string;
  /** The input as the model wrote it (unvalidated). */
  input: unknown;
  status: ToolCallStatus;
  /** The block sent back to the model. */
  result: ToolResultBlockParam;
  /** What the handler returned, when it returned. */
  output?: ToolOutput;
  /** The thrown error, for `error` (never sent to the model beyond its message). */
  error?: unknown;
}

/** Options for {@link executeToolCall}. */
export interface ExecuteToolCallOptions {
  /** The model's request. */
  toolUse: Pick<ToolUseBlock, 'id' | 'name' | 'input'>;
  /** Tools by name. */
  tools: ReadonlyMap<string, AgentTool>;
  /** The authenticated principal, handed to the handler. */
  principal: Principal;
  /** The run's signal. */
  signal?: AbortSignal;
  /** Per-call timeout in milliseconds. */
  timeoutMs: number;
  /** Parent logger; the handler gets a child carrying tool name and id. */
  logger: ToolLogger;
}

function errorResult(toolUseId: string, text: string): ToolResultBlockParam {
  return { type: 'tool_result', tool_use_id: toolUseId, content: text, is_error: true };
}

function serialize(output: ToolOutput | undefined): string {
  if (typeof output === 'string') return output;
  return JSON.stringify(output ?? null);
}

class ToolTimeout extends Error {}

/**
 * Runs one tool call and never throws: an unknown tool, invalid input, a thrown error, a timeout
 * or an abort all become an `is_error` tool result the model can read and recover from.
 */
export async function executeToolCall(options: ExecuteToolCallOptions): Promise<ToolCallRecord> {
  const { toolUse, tools, timeoutMs } = options;
  const base = { toolUseId: toolUse.id, name: toolUse.name, input: toolUse.input };
  const tool = tools.get(toolUse.name);
  if (!tool) {
    const available = [...tools.keys()].join(', ') || '(none)';
    return {
      ...base,
      status: 'unknown_tool',
      result: errorResult(
        toolUse.id,
        `There is no tool named "${toolUse.name}". Available tools: ${available}.`,
      ),
    };
  }
  const parsed = tool.input.safeParse(toolUse.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `- ${issue.path.join('.') || '(input)'}: ${issue.message}`,
    );
    return {
      ...base,
      status: 'invalid_input',
      result: errorResult(
        toolUse.id,
        `Invalid input for tool "${toolUse.name}":\n${issues.join('\n')}\nFix the input and call the tool again.`,
      ),
    };
  }
  if (options.signal?.aborted) {
    return { ...base, status: 'aborted', result: errorResult(toolUse.id, 'The run was aborted.') };
  }

  const controller = new AbortController();
  const onParentAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onParentAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const timeout = new ToolTimeout(`timed out after ${timeoutMs} ms`);
      controller.abort(timeout);
      reject(timeout);
    }, timeoutMs);
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), {
      once: true,
    });
  });
  stopped.catch(() => {});
  const logger = childLogger(options.logger, { tool: toolUse.name, toolUseId: toolUse.id });
  try {
    const output = await Promise.race([
      Promise.resolve().then(() =>
        tool.handler(parsed.data, {
          principal: options.principal,
          signal: controller.signal,
          logger,
          toolUseId: toolUse.id,
        }),
      ),
      stopped,
    ]);
    return {
      ...base,
      status: 'ok',
      output,
      result: { type: 'tool_result', tool_use_id: toolUse.id, content: serialize(output) },
    };
  } catch (error) {
    if (error instanceof ToolTimeout) {
      logger.warn({ timeoutMs }, 'tool timed out');
      return {
        ...base,
        status: 'timeout',
        error,
        result: errorResult(
          toolUse.id,
          `Tool "${toolUse.name}" did not finish within ${timeoutMs} ms.`,
        ),
      };
    }
    if (options.signal?.aborted) {
      return {
        ...base,
        status: 'aborted',
        error,
        result: errorResult(toolUse.id, 'The run was aborted.'),
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ err: error }, 'tool failed');
    return {
      ...base,
      status: 'error',
      error,
      result: errorResult(toolUse.id, `Tool "${toolUse.name}" failed: ${message}`),
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onParentAbort);
  }
}
