import type { Tool as ApiTool } from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import {
  closeObjects,
  toSupportedSchema,
  type JsonSchema,
} from './supported-schema.ts';
import type { ToolContext } from './tool-context.ts';
import { ToolDefinitionError } from './tool-definition-error.ts';

/** What a handler may return: text is sent as is, anything else as JSON. */
export type ToolOutput = string | number | boolean | null | object;

/** Options for {@link defineTool}. */
export interface DefineToolOptions<Schema extends z.ZodObject> {
  /** The name the model calls (`^[a-zA-Z0-9_-]{1,64}$`). */
  name: string;
  /** When and how to use the tool; the model decides from this text. */
  description: string;
  /** The input schema. It is converted to JSON Schema for the API and validates every call. */
  input: Schema;
  /**
   * Ask the API to guarantee schema-conforming input (`strict: true`). The schema is reduced to
   * the supported subset; removed constraints are still enforced by the zod validation.
   */
  strict?: boolean;
  /** Runs the tool with validated input; authorize with `context.principal`, not with the input. */
  handler: (input: z.output<Schema>, context: ToolContext) => Promise<ToolOutput> | ToolOutput;
}

/** A tool ready for the agent loop: the API definition plus validation and the handler. */
export interface AgentTool<Schema extends z.ZodObject = z.ZodObject> {
  name: string;
  /** The zod schema that validates input. */
  input: Schema;
  /** The tool as the Messages API expects it. */
  definition: ApiTool;
  handler: (input: z.output<Schema>, context: ToolContext) => Promise<ToolOutput> | ToolOutput;
}

const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

/** JSON Schema for a zod object as tool input: the input side (defaults optional), closed objects. */
export function toolInputSchema(schema: z.ZodObject, strict = false): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' }) as JsonSchema;
  if (!strict) return closeObjects(json);
  const supported = toSupportedSchema(json);
  if (supported.recursive) {
    throw new ToolDefinitionError('(schema)', ['a strict tool cannot have a recursive schema']);
  }
  return supported.schema;
}

/** Defines a tool from a zod schema and a handler. */
export function defineTool<Schema extends z.ZodObject>(
  options: DefineToolOptions<Schema>,
): AgentTool<Schema> {
  const issues: string[] = [];
  if (!toolNamePattern.test(options.name)) issues.push('name must match ^[a-zA-Z0-9_-]{1,64}$');
  if (options.description.trim() === '') issues.push('description must not be empty');
  let inputSchema: JsonSchema = {};
  try {
    inputSchema = toolInputSchema(options.input, options.strict ?? false);
  } catch (error) {
    issues.push(
      error instanceof ToolDefinitionError
        ? error.details.issues.join('; ')
        : `input schema cannot be expressed as JSON Schema: ${(error as Error).message}`,
    );
  }
  if (issues.length > 0) throw new ToolDefinitionError(options.name, issues);
  return {
    name: options.name,
    input: options.input,
    handler: options.handler,
    definition: {
      name: options.name,
      description: options.description,
      input_schema: inputSchema as ApiTool['input_schema'],
      ...(options.strict ? { strict: true } : {}),
    },
  };
}
