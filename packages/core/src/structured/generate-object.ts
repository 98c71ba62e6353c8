import type { Message, MessageParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import { z } from 'zod';
import { agentLoop } from '../agent/agent-loop.ts';
import type { TokenCounts } from '@keel/protocol';
import type { AgentResult } from '../agent/agent-result.ts';
import { defineTool, type AgentTool } from '../tools/define-tool.ts';
import type { MessagesCaller } from '../call/messages-caller.ts';
import type { Principal } from '../tools/tool-context.ts';
import { callOptionsOf, type CallContext } from '../agent/call-context.ts';
import { resolveModel, type ModelSettings } from '../agent/model-settings.ts';
import { isTruncationStop, truncationCause } from '../client/truncation-stop.ts';
import { repairOutput } from './repair-output.ts';
import { StructuredOutputError, type StructuredOutputFailure } from './structured-output-error.ts';
import { closeObjects, toSupportedSchema, type JsonSchema } from '../tools/supported-schema.ts';

/** The task `generateObject` and its repair route by unless told otherwise. */
const defaultStructuredTask = 'data_extraction';

/**
 * Options for {@link generateObject}: the model settings (`task` — default `data_extraction` —
 * or `model`; `maxTokens` default 4096), the call context (`principal` default an anonymous one
 * with no roles), and what to answer.
 */
export interface GenerateObjectOptions<Schema extends z.ZodType>
  extends ModelSettings, CallContext {
  /** Sends Messages requests. */
  caller: MessagesCaller;
  /** The shape of the answer. Every constraint is checked, including those the API cannot enforce. */
  schema: Schema;
  /** The conversation; the last message is usually the user's request. */
  messages: MessageParam[];
  /** System prompt. */
  system?: string | TextBlockParam[];
  /** The caller's own tools; the model may use them before answering. The answer tool is added alongside. */
  tools?: AgentTool[];
  /** `native` (output_config.format), `tool` (forced answer tool), or `auto` (native where the catalog allows). */
  mode?: 'auto' | 'native' | 'tool';
  /** Name of the answer tool in tool mode. Default `give_answer`. */
  toolName?: string;
  /** The task of the one attempt at repairing invalid output. Default `data_extraction`. */
  repairTask?: string;
  /** A model for the repair, overriding `repairTask`; `false` disables repair. */
  repairModel?: string | false;
  /** Model calls allowed when tools are used. Default 10. */
  maxIterations?: number;
  /** Catalog that says which models support structured outputs; default the shipped one. */
  catalog?: ModelCatalog;
}

/** A validated object and how it was obtained. */
export interface GenerateObjectResult<T> {
  /** The answer, validated by the schema. */
  object: T;
  /** How the answer was requested. */
  mode: 'native' | 'tool';
  /** True when the first answer was invalid and the repair model fixed it. */
  repaired: boolean;
  /** The response the object came from (the repair response when repaired). */
  message: Message;
  /** The conversation including any tool turns. */
  messages: MessageParam[];
  /** Tokens over every call, repair included. */
  usage: TokenCounts;
  /** Schema constraints the API could not enforce, checked client-side (`properties.age: minimum`). */
  removedConstraints: string[];
}

const anonymous: Principal = { userId: 'anonymous', roles: [] };

/** Parses and validates a raw answer; returns the issues instead of throwing. */
export function validateAnswer<Schema extends z.ZodType>(
  schema: Schema,
  raw: unknown,
): { ok: true; value: z.output<Schema> } | { ok: false; issues: string[] } {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      return { ok: false, issues: [`not valid JSON: ${(error as Error).message}`] };
    }
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    ),
  };
}

/**
 * Returns a typed object for a zod schema: native structured outputs where the model supports them
 * (schema reduced to the supported subset, the rest checked here), a forced answer tool otherwise.
 * The caller's tools stay available. Invalid output gets one repair attempt by a cheap model; output
 * cut off (max_tokens, or model_context_window_exceeded) is never accepted nor repaired: it fails
 * with `structured_output_truncated`. Failures throw {@link StructuredOutputError}.
 */
export async function generateObject<Schema extends z.ZodType>(
  options: GenerateObjectOptions<Schema>,
): Promise<GenerateObjectResult<z.output<Schema>>> {
  const catalog = options.catalog ?? defaultModelCatalog();
  const userTools = options.tools ?? [];
  const isObjectSchema = options.schema instanceof z.ZodObject;
  // Tool input must be an object: other shapes travel wrapped as `{ value }`.
  const answerSchema: z.ZodObject = isObjectSchema
    ? (options.schema as unknown as z.ZodObject)
    : z.object({ value: options.schema });
  const fullJson = z.toJSONSchema(answerSchema, {
    io: 'output',
    unrepresentable: 'throw',
  }) as JsonSchema;
  const supported = toSupportedSchema(fullJson);
  const model = resolveModel(options, options.caller, defaultStructuredTask);
  const modelInfo = catalog.get(model);
  const nativeAllowed = modelInfo.capabilities.structuredOutputs && !supported.recursive;
  const mode =
    options.mode === 'native' || (options.mode !== 'tool' && nativeAllowed) ? 'native' : 'tool';
  const toolName = options.toolName ?? 'give_answer';

  const answerTool = defineTool({
    name: toolName,
    description:
      'Give your final answer by calling this tool with it as input. Call it exactly once, after any other tools you need.',
    input: answerSchema,
    handler: () => {
      throw new Error('the answer tool is never executed');
    },
  });

  const run: AgentResult = await agentLoop(
    {
      caller: options.caller,
      model,
      messages: options.messages,
      principal: options.principal ?? anonymous,
      catalog,
      maxTokens: options.maxTokens ?? 4096,
      maxIterations: options.maxIterations ?? 10,
      ...(options.system === undefined ? {} : { system: options.system }),
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      ...(options.thinking === undefined ? {} : { thinking: options.thinking }),
      ...(options.effort === undefined ? {} : { effort: options.effort }),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(mode === 'native'
        ? {
            tools: userTools,
            request: {
              output_config: { format: { type: 'json_schema', schema: supported.schema } },
            },
          }
        : {
            tools: [...userTools, answerTool],
            stopAtTool: toolName,
            // Models that refuse a forced tool_choice (the 5.x models) are asked by the tool's
            // description alone; an answer without the tool fails as `missing`.
            toolChoice: !modelInfo.capabilities.forcedToolChoice
              ? { type: 'auto' as const }
              : userTools.length > 0
                ? { type: 'any' as const }
                : { type: 'tool' as const, name: toolName },
          }),
    },
    (request, signal) => options.caller.create(request, callOptionsOf(options, signal)),
  );

  const message = run.finalMessage;
  const fail = (
    failure: StructuredOutputFailure,
    extra: { issues?: string[]; rawOutput?: string; repairAttempted?: boolean } = {},
  ) =>
    new StructuredOutputError(
      {
        failure,
        model: model,
        mode,
        stopReason: message?.stop_reason ?? null,
        issues: extra.issues ?? [],
        ...(extra.rawOutput === undefined ? {} : { rawOutput: extra.rawOutput }),
        repairAttempted: extra.repairAttempted ?? false,
      },
      {
        truncated: `The answer from ${model} was cut off ${truncationCause(message?.stop_reason, options.maxTokens ?? 4096)}; a partial object is never accepted`,
        invalid: `The answer from ${model} does not match the schema${extra.repairAttempted ? ', even after one repair attempt' : ''}`,
        refused: `${model} refused to answer`,
        missing: `${model} stopped without giving an answer (${run.outcome})`,
        aborted: 'The structured-output call was aborted',
      }[failure],
    );

  if (run.outcome === 'aborted') throw fail('aborted');
  if (run.outcome === 'truncated') throw fail('truncated');
  if (run.outcome === 'refused') throw fail('refused');
  if (run.outcome !== 'completed' || !message) throw fail('missing');

  // Answers are validated in their object form (`{ value }` for wrapped schemas), then unwrapped.
  const unwrap = (value: Record<string, unknown>): z.output<Schema> =>
    (isObjectSchema ? value : value.value) as z.output<Schema>;
  let raw: unknown;
  let rawText: string;
  if (mode === 'native') {
    rawText = message.content
      .flatMap((block) => (block.type === 'text' ? [block.text] : []))
      .join('');
    raw = rawText;
  } else {
    const call = message.content.find(
      (block) => block.type === 'tool_use' && block.name === toolName,
    );
    if (!call || call.type !== 'tool_use') throw fail('missing');
    raw = call.input;
    rawText = JSON.stringify(raw);
  }

  const base = {
    mode,
    messages: run.messages,
    removedConstraints: mode === 'native' ? supported.removed : [],
  } as const;
  const first = validateAnswer(answerSchema, raw);
  if (first.ok) {
    return { ...base, object: unwrap(first.value), repaired: false, message, usage: run.usage };
  }
  if (options.repairModel === false)
    throw fail('invalid', { issues: first.issues, rawOutput: rawText });

  const repair = await repairOutput({
    caller: options.caller,
    model: resolveModel(
      { model: options.repairModel, task: options.repairTask },
      options.caller,
      defaultStructuredTask,
    ),
    catalog,
    schema: mode === 'native' ? supported.schema : closeObjects(fullJson),
    invalidOutput: rawText,
    issues: first.issues,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.tags ? { tags: options.tags } : {}),
  });
  const usage: TokenCounts = {
    inputTokens: run.usage.inputTokens + repair.message.usage.input_tokens,
    outputTokens: run.usage.outputTokens + repair.message.usage.output_tokens,
    cacheCreationInputTokens:
      run.usage.cacheCreationInputTokens + (repair.message.usage.cache_creation_input_tokens ?? 0),
    cacheReadInputTokens:
      run.usage.cacheReadInputTokens + (repair.message.usage.cache_read_input_tokens ?? 0),
  };
  if (isTruncationStop(repair.message.stop_reason)) {
    throw fail('invalid', {
      issues: [...first.issues, `repair: cut off (${repair.message.stop_reason})`],
      rawOutput: rawText,
      repairAttempted: true,
    });
  }
  const second = validateAnswer(answerSchema, repair.raw);
  if (!second.ok) {
    throw fail('invalid', {
      issues: second.issues,
      rawOutput: typeof repair.raw === 'string' ? repair.raw : JSON.stringify(repair.raw),
      repairAttempted: true,
    });
  }
  return { ...base, object: unwrap(second.value), repaired: true, message: repair.message, usage };
}
