import type {
  ContentBlockParam,
  Message,
  MessageParam,
  ToolResultBlockParam,
  ToolUseBlock,
} from '@anthropic-ai/sdk/resources/messages';
import { defaultModelCatalog, type ModelCatalog, type ModelInfo } from '@keel/models';
import { assembleRequest } from '../cache/assemble-request.ts';
import { estimateInputTokens } from '../tokens/estimate-tokens.ts';
import { computeCost } from '../cost/compute-cost.ts';
import { formatPicoUsd, picoUsdToUsd } from '../cost/pico-usd.ts';
import { ValidationError } from '@keel/errors';
import { validateThinking } from '../thinking/validate-thinking.ts';
import { headerApiVersion, sdkDefaultApiVersion } from '../client/api-version.ts';
import { decideSamplingParameters } from '../client/sampling-parameters.ts';
import { isTruncationStop } from '../client/truncation-stop.ts';
import { executeToolCall, type ToolCallRecord } from '../tools/execute-tool-call.ts';
import type { AgentTool } from '../tools/define-tool.ts';
import type { MessagesRequest } from '../call/messages-caller.ts';
import type { Tool as ApiTool } from '@anthropic-ai/sdk/resources/messages';
import { silentLogger } from '../tools/tool-context.ts';
import { ToolDefinitionError } from '../tools/tool-definition-error.ts';
import type { AgentEvent } from './agent-events.ts';
import type { RunAgentOptions } from './agent-options.ts';
import type { TokenCounts } from '@keel/protocol';
import type { AgentOutcome, AgentResult } from './agent-result.ts';
import { resolveModel } from './model-settings.ts';
import {
  anyOf,
  costExceeds,
  stepCountIs,
  toolCalled,
  type StopCondition,
} from './stop-condition.ts';

/** Sends one request; the streaming form emits deltas while it runs. */
export type SendRequest = (
  request: MessagesRequest,
  signal: AbortSignal | undefined,
) => Promise<Message>;

function defaultCostOf(message: Message, catalog: ModelCatalog | undefined): bigint | undefined {
  const cost = computeCost({
    model: message.model,
    usage: message.usage,
    ...(catalog ? { catalog } : {}),
  });
  return cost.priced ? cost.picoUsd : undefined;
}

// Request fields that have an option of their own, and that option's name.
const ownOptions = {
  model: 'model or task',
  messages: 'messages',
  tools: 'tools',
  system: 'system',
  max_tokens: 'maxTokens',
  thinking: 'thinking',
  tool_choice: 'toolChoice',
  temperature: 'temperature',
} as const;

/**
 * The extra request fields, checked: a field given both here and as an option used to be
 * overwritten without a word; now it is a `ValidationError` naming the option to use.
 */
function extraRequestFields(options: RunAgentOptions): Partial<MessagesRequest> {
  const request = (options.request ?? {}) as Partial<MessagesRequest>;
  const issues = Object.entries(ownOptions)
    .filter(([field]) => field in request)
    .map(([field, option]) => `request.${field}: set the ${option} option instead`);
  if (options.effort !== undefined && request.output_config?.effort != null) {
    issues.push('request.output_config.effort: set the effort option instead');
  }
  if (issues.length > 0) throw new ValidationError('agent options', issues);
  if (options.effort === undefined) return request;
  return { ...request, output_config: { ...request.output_config, effort: options.effort } };
}

/** The run's stop conditions: the caller's, then the caps that are always checked. */
function stopConditionOf(options: RunAgentOptions): StopCondition {
  const own = options.stopWhen === undefined ? [] : [options.stopWhen].flat();
  return anyOf(
    ...(options.stopAtTool === undefined ? [] : [toolCalled(options.stopAtTool)]),
    ...own,
    stepCountIs(options.maxIterations ?? 10),
    ...(options.maxCostUsd === undefined ? [] : [costExceeds(options.maxCostUsd)]),
  );
}

function toolMap(tools: AgentTool[]): Map<string, AgentTool> {
  const map = new Map<string, AgentTool>();
  for (const tool of tools) {
    if (map.has(tool.name)) throw new ToolDefinitionError(tool.name, ['two tools share this name']);
    map.set(tool.name, tool);
  }
  return map;
}

function skippedResult(toolUse: ToolUseBlock, why: string): ToolCallRecord {
  const result: ToolResultBlockParam = {
    type: 'tool_result',
    tool_use_id: toolUse.id,
    content: `Not run: ${why}.`,
    is_error: true,
  };
  return {
    toolUseId: toolUse.id,
    name: toolUse.name,
    input: toolUse.input,
    status: 'skipped',
    result,
  };
}

/** Applies Keel's cache-aware assembly to a step's request, unless the caller opted out. */
function withCacheBreakpoints(
  request: MessagesRequest,
  options: RunAgentOptions,
  modelInfo: ModelInfo | undefined,
): MessagesRequest {
  if (options.cache === false || !modelInfo) return { ...request, messages: [...request.messages] };
  const assembled = assembleRequest({
    ...(request.tools ? { tools: request.tools } : {}),
    ...(request.system === undefined ? {} : { system: request.system }),
    messages: request.messages,
    minCacheableTokens: modelInfo.minCacheableTokens,
    countTokens: (value) =>
      estimateInputTokens(
        { messages: [{ role: 'user', content: [value as ContentBlockParam] }] },
        { tokenizer: modelInfo.tokenizer },
      ),
    ...(typeof options.cache === 'object' && options.cache.expectedReuseGapMs !== undefined
      ? { expectedReuseGapMs: options.cache.expectedReuseGapMs }
      : {}),
  });
  return {
    ...request,
    messages: assembled.messages,
    ...(assembled.system ? { system: assembled.system } : {}),
    ...(assembled.tools ? { tools: assembled.tools } : {}),
  };
}

/**
 * The agent loop shared by `runAgent` and `streamAgent`: call the model, run the tools it asks for
 * (concurrently, each with a timeout), send the results back, until the model ends its turn or a
 * cap is hit. Assistant content goes back exactly as received, so thinking and redacted_thinking
 * blocks keep their signatures.
 */
export async function agentLoop(
  options: RunAgentOptions,
  send: SendRequest,
  emit: (event: AgentEvent) => void = () => {},
): Promise<AgentResult> {
  const tools = toolMap(options.tools ?? []);
  const model = resolveModel(options, options.caller);
  const extraFields = extraRequestFields(options);
  const shouldStop = stopConditionOf(options);
  const modelInfo = (options.catalog ?? defaultModelCatalog()).find(model);
  if (options.thinking && modelInfo) {
    // Only a temperature that will reach the model can clash with thinking; under 2026-10-21
    // (or on a defaults-only model) the caller leaves it out and warns instead.
    const sentTemperature =
      options.temperature === undefined
        ? undefined
        : decideSamplingParameters({
            apiVersion:
              headerApiVersion(options.headers) ??
              options.caller.apiVersion ??
              sdkDefaultApiVersion,
            model: modelInfo,
            parameters: { temperature: options.temperature },
          }).send.temperature;
    // Fail before the first call, with every problem listed, rather than on a 400.
    validateThinking({
      model: modelInfo.id,
      thinking: options.thinking,
      maxTokens: options.maxTokens ?? 4096,
      interleaved: tools.size > 0,
      ...(options.catalog ? { catalog: options.catalog } : {}),
      ...(options.toolChoice ? { toolChoice: options.toolChoice } : {}),
      ...(options.effort === undefined ? {} : { effort: options.effort }),
      ...(sentTemperature === undefined ? {} : { temperature: sentTemperature }),
    });
  }
  // Strict tools need structured-output support; elsewhere the zod validation still holds.
  const definitions: ApiTool[] = [...tools.values()].map((tool) => {
    if (!tool.definition.strict || !modelInfo || modelInfo.capabilities.structuredOutputs) {
      return tool.definition;
    }
    const { strict: _strict, ...rest } = tool.definition;
    return rest;
  });
  const costOf = options.costOf ?? ((message: Message) => defaultCostOf(message, options.catalog));
  const logger = options.logger ?? silentLogger;
  const { signal } = options;
  const messages: MessageParam[] = [...options.messages];
  const firstNew = messages.length;
  const usage: TokenCounts = {
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationInputTokens: 0,
    cacheReadInputTokens: 0,
  };
  const toolCalls: ToolCallRecord[] = [];
  let costPicoUsd = 0n;
  let costComplete = true;
  let iterations = 0;
  let finalMessage: Message | undefined;

  const finish = (outcome: AgentOutcome): AgentResult => {
    const text = (finalMessage?.content ?? [])
      .flatMap((block) => (block.type === 'text' ? [block.text] : []))
      .join('');
    const result: AgentResult = {
      outcome,
      messages,
      newMessages: messages.slice(firstNew),
      finalMessage,
      text,
      stopReason: finalMessage?.stop_reason ?? null,
      iterations,
      usage,
      costPicoUsd,
      costUsdText: formatPicoUsd(costPicoUsd),
      costUsd: picoUsdToUsd(costPicoUsd),
      costComplete,
      toolCalls,
    };
    emit({ type: 'finish', result });
    return result;
  };

  // Appends results for tool calls the loop will not run, so the transcript stays valid to resume.
  const refuseTools = (toolUses: ToolUseBlock[], why: string) => {
    if (toolUses.length === 0) return;
    const records = toolUses.map((toolUse) => skippedResult(toolUse, why));
    for (const record of records) {
      toolCalls.push(record);
      emit({
        type: 'tool-call-end',
        toolUseId: record.toolUseId,
        name: record.name,
        status: record.status,
        isError: true,
      });
    }
    messages.push({ role: 'user', content: records.map((record) => record.result) });
  };

  while (true) {
    if (signal?.aborted) return finish('aborted');
    iterations += 1;
    emit({ type: 'step-start', iteration: iterations });
    const request: MessagesRequest = {
      ...extraFields,
      model,
      max_tokens: options.maxTokens ?? 4096,
      messages,
      ...(options.system === undefined ? {} : { system: options.system }),
      ...(definitions.length > 0 ? { tools: definitions } : {}),
      ...(options.toolChoice ? { tool_choice: options.toolChoice } : {}),
      // The caller sends it only where the API version and model accept it (and warns once).
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      ...(options.thinking ? { thinking: options.thinking } : {}),
    };
    let message: Message;
    try {
      // A snapshot: later pushes must not alter a request a caller may still hold.
      message = await send(withCacheBreakpoints(request, options, modelInfo), signal);
    } catch (error) {
      if (signal?.aborted) {
        iterations -= 1;
        return finish('aborted');
      }
      throw error;
    }
    finalMessage = message;
    usage.inputTokens += message.usage.input_tokens;
    usage.outputTokens += message.usage.output_tokens;
    usage.cacheCreationInputTokens += message.usage.cache_creation_input_tokens ?? 0;
    usage.cacheReadInputTokens += message.usage.cache_read_input_tokens ?? 0;
    const cost = costOf(message);
    if (cost === undefined) costComplete = false;
    else costPicoUsd += cost;
    messages.push({ role: 'assistant', content: message.content as ContentBlockParam[] });
    emit({ type: 'step-finish', iteration: iterations, message });
    logger.debug(
      {
        iteration: iterations,
        stopReason: message.stop_reason,
        costUsd: formatPicoUsd(costPicoUsd),
      },
      'agent step finished',
    );

    const toolUses = message.content.filter(
      (block): block is ToolUseBlock => block.type === 'tool_use',
    );
    // A cut-off answer (max_tokens, model_context_window_exceeded) is never a finished one.
    const truncated = isTruncationStop(message.stop_reason);
    const wantsMore = message.stop_reason === 'tool_use' || message.stop_reason === 'pause_turn';
    if (wantsMore) {
      const stop = shouldStop({
        iterations,
        costPicoUsd,
        costComplete,
        message,
        toolUses,
        toolCalls,
      });
      // `completed`: the call is the answer (an answer tool), left as the model wrote it.
      if (stop?.outcome === 'completed') return finish('completed');
      if (stop) {
        refuseTools(toolUses, stop.reason);
        return finish(stop.outcome);
      }
    }
    if (!wantsMore) {
      if (truncated) {
        // A tool call cut off mid-input is never run, but it is answered: an unanswered
        // tool_use would make every later request that resumes this transcript a 400.
        refuseTools(toolUses, `the answer was cut off (${message.stop_reason}) inside this call`);
        return finish('truncated');
      }
      if (message.stop_reason === 'refusal') return finish('refused');
      return finish('completed');
    }
    // pause_turn: the assistant turn is already appended; the next call continues it.
    if (message.stop_reason === 'pause_turn') continue;

    const records = await Promise.all(
      toolUses.map(async (toolUse) => {
        emit({
          type: 'tool-call-start',
          toolUseId: toolUse.id,
          name: toolUse.name,
          input: toolUse.input,
        });
        const record = await executeToolCall({
          toolUse,
          tools,
          principal: options.principal,
          timeoutMs: options.toolTimeoutMs ?? 30_000,
          logger,
          ...(signal ? { signal } : {}),
        });
        emit({
          type: 'tool-call-end',
          toolUseId: record.toolUseId,
          name: record.name,
          status: record.status,
          isError: record.result.is_error === true,
        });
        return record;
      }),
    );
    toolCalls.push(...records);
    messages.push({ role: 'user', content: records.map((record) => record.result) });
    if (signal?.aborted) return finish('aborted');
  }
}
