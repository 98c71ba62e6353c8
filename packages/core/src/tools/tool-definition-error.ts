import { KeelError } from '@keel/errors';

/** A tool that cannot be offered to the model: a bad name, a non-object schema, a duplicate. */
export class ToolDefinitionError extends KeelError<
  { toolName: string; issues: string[] },
  'tool_definition_invalid'
> {
  constructor(toolName: string, issues: string[]) {
    super('tool_definition_invalid', `Tool "${toolName}" is invalid: ${issues.join('; ')}`, {
      toolName,
      issues,
    });
  }
}
