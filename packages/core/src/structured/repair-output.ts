import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { ModelCatalog } from '@keel/models';
import type { MessagesCaller } from '../call/messages-caller.ts';
import { callOptionsOf, type CallContext } from '../agent/call-context.ts';
import { toSupportedSchema, type JsonSchema } from '../tools/supported-schema.ts';

/** Options for {@link repairOutput}. */
export interface RepairOutputOptions extends Pick<CallContext, 'signal' | 'headers' | 'tags'> {
  caller: MessagesCaller;
  /** The cheap model that does the repair. */
  model: string;
  catalog: ModelCatalog;
  /** The JSON Schema the output must satisfy (an object schema). */
  schema: JsonSchema;
  /** The output that failed, as text. */
  invalidOutput: string;
  /** Why it failed, one issue per entry. */
  issues: string[];
  /** `max_tokens` for the repair. Default 2048. */
  maxTokens?: number;
}

/** The repair model's answer, not yet validated. */
export interface RepairOutputResult {
  /** JSON text (native mode) or the tool input object. */
  raw: unknown;
  message: Message;
}

const repairTool = 'give_corrected_json';

/**
 * One call to a cheap model with the invalid output and the errors, asking for corrected JSON.
 * Native structured outputs are used when the repair model has them, a forced tool otherwise.
 */
export async function repairOutput(options: RepairOutputOptions): Promise<RepairOutputResult> {
  const native = options.catalog.get(options.model).capabilities.structuredOutputs;
  const prompt = [
    'This output was supposed to be JSON matching the schema below, but it is invalid.',
    '',
    'Schema:',
    JSON.stringify(options.schema),
    '',
    'Invalid output:',
    options.invalidOutput,
    '',
    'Problems:',
    ...options.issues.map((issue) => `- ${issue}`),
    '',
    'Return the corrected JSON only. Keep every value that is already valid.',
  ].join('\n');
  const common = {
    model: options.model,
    max_tokens: options.maxTokens ?? 2048,
    system: 'You repair JSON so that it satisfies a JSON Schema. You reply with the JSON only.',
    messages: [{ role: 'user' as const, content: prompt }],
  };
  const callOptions = callOptionsOf(options);
  if (native) {
    const message = await options.caller.create(
      {
        ...common,
        output_config: {
          format: { type: 'json_schema', schema: toSupportedSchema(options.schema).schema },
        },
      },
      callOptions,
    );
    const raw = message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
    return { raw, message };
  }
  const message = await options.caller.create(
    {
      ...common,
      tools: [
        {
          name: repairTool,
          description: 'Give the corrected JSON.',
          input_schema: options.schema as { type: 'object' },
        },
      ],
      tool_choice: { type: 'tool', name: repairTool },
    },
    callOptions,
  );
  const call = message.content.find((block) => block.type === 'tool_use');
  return { raw: call?.type === 'tool_use' ? call.input : undefined, message };
}
