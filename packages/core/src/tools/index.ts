export {
  defineTool,
  toolInputSchema,
  type AgentTool,
  type DefineToolOptions,
  type ToolOutput,
} from './define-tool.ts';
export {
  childLogger,
  silentLogger,
  type Principal,
  type ToolContext,
  type ToolLogger,
} from './tool-context.ts';
export {
  executeToolCall,
  type ExecuteToolCallOptions,
  type ToolCallRecord,
  type ToolCallStatus,
} from './execute-tool-call.ts';
export { ToolDefinitionError } from './tool-definition-error.ts';
export {
  closeObjects,
  toSupportedSchema,
  type JsonSchema,
  type SupportedSchema,
} from './supported-schema.ts';
