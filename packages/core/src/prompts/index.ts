export {
  PromptFileError,
  PromptVariablesError,
  UnknownPromptError,
  type PromptFileErrorDetails,
  type PromptVariablesErrorDetails,
} from './prompt-file-error.ts';
export {
  promptEnvironments,
  type PromptEnvironment,
  type PromptFrontMatter,
  type VariableSpec,
} from './prompt-schema.ts';
export {
  PromptTemplate,
  type PromptSettings,
  type PromptVariableValue,
  type RenderedPrompt,
  type RenderOptions,
} from './prompt-template.ts';
export {
  parsePromptFile,
  loadPromptFile,
  type ParsePromptFileOptions,
} from './parse-prompt-file.ts';
export {
  PromptRegistry,
  loadPromptRegistry,
  type LoadPromptRegistryOptions,
} from './prompt-registry.ts';
export { promptVersion } from './prompt-version.ts';
export {
  dynamicSystemPrompt,
  type DynamicSystemPrompt,
  type DynamicSystemPromptOptions,
  type ProjectContext,
} from './dynamic-system-prompt.ts';
