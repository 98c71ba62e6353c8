import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { z } from 'zod';
import { PromptVariablesError } from './prompt-file-error.ts';
import type { PromptEnvironment, PromptFrontMatter, VariableSpec } from './prompt-schema.ts';
import { fillPlaceholders } from './template-placeholders.ts';

/** A value a prompt variable can take. */
export type PromptVariableValue = string | number | boolean | Array<string | number>;

/** The settings a prompt asks for, after the environment's overrides. */
export interface PromptSettings {
  /** The model id or alias, when the file names one. */
  model?: string;
  /** The routing task, when the file names one instead of (or besides) a model. */
  task?: string;
  maxTokens: number;
  temperature?: number;
}

/** A prompt rendered for one call: ready to spread into a Messages request. */
export interface RenderedPrompt extends PromptSettings {
  /** The system prompt, variables filled in. */
  system: string;
  /** Few-shot examples as user/assistant turns, then the user turn when the file has a template. */
  messages: MessageParam[];
  /** The JSON Schema the answer must satisfy, when the file declares one. */
  outputSchema?: Record<string, unknown>;
  /** Tags to record on the call (ledger, traces): which prompt, which version. */
  tags: { promptId: string; promptVersion: string };
}

/** Options for {@link PromptTemplate.render}. */
export interface RenderOptions {
  /** Applies that environment's overrides of model, max_tokens and temperature. */
  environment?: PromptEnvironment;
}

function typeName(spec: VariableSpec): string {
  if (spec.type === 'enum')
    return `one of ${spec.values!.map((v) => JSON.stringify(v)).join(', ')}`;
  if (spec.type === 'list') return `a list of ${spec.items ?? 'string'}s`;
  return `a ${spec.type}`;
}

function fits(spec: VariableSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && spec.values!.includes(value);
    case 'list':
      return (
        Array.isArray(value) &&
        value.every((item) =>
          (spec.items ?? 'string') === 'number'
            ? typeof item === 'number' && Number.isFinite(item)
            : typeof item === 'string',
        )
      );
  }
}

function asText(value: PromptVariableValue): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** A loaded, validated prompt file. Immutable; render it once per call. */
export class PromptTemplate {
  /** The prompt's stable id (front matter `id`). */
  readonly id: string;
  /** Content hash of the file (12 hex digits); changes whenever the file changes. */
  readonly version: string;
  /** Where the prompt was loaded from. */
  readonly file: string;
  /** The validated front matter. */
  readonly frontMatter: PromptFrontMatter;
  /** The system prompt template (the Markdown body). */
  readonly body: string;
  /**
   * Settings that will not reach the model, found at load (`file:line: temperature: ...`): a
   * `temperature` the API version or the model rejects, which the client leaves out.
   */
  readonly warnings: readonly string[];

  /**
   * The file's `output_schema` as a zod schema, ready for `generateObject`; undefined when the
   * file declares none.
   */
  readonly outputZodSchema: z.ZodType | undefined;

  constructor(options: {
    file: string;
    version: string;
    frontMatter: PromptFrontMatter;
    body: string;
    warnings?: readonly string[];
    outputZodSchema?: z.ZodType;
  }) {
    this.warnings = options.warnings ?? [];
    this.outputZodSchema = options.outputZodSchema;
    this.file = options.file;
    this.version = options.version;
    this.frontMatter = options.frontMatter;
    this.body = options.body;
    this.id = options.frontMatter.id;
  }

  /** The declared variables. */
  get variables(): Readonly<Record<string, VariableSpec>> {
    return this.frontMatter.variables;
  }

  /** Model, task, max_tokens and temperature for an environment (the base values without one). */
  settings(environment?: PromptEnvironment): PromptSettings {
    const front = this.frontMatter;
    const override = environment ? (front.environments[environment] ?? {}) : {};
    const model = override.model ?? front.model;
    const temperature = override.temperature ?? front.temperature;
    return {
      ...(model === undefined ? {} : { model }),
      ...(front.task === undefined ? {} : { task: front.task }),
      maxTokens: override.max_tokens ?? front.max_tokens,
      ...(temperature === undefined ? {} : { temperature }),
    };
  }

  /** Checks variables against the declaration; throws PromptVariablesError listing every problem. */
  checkVariables(variables: Record<string, unknown>): void {
    const declared = this.frontMatter.variables;
    const missing = Object.entries(declared)
      .filter(([name, spec]) => spec.required && variables[name] === undefined)
      .map(([name]) => name);
    const extra = Object.keys(variables).filter((name) => !(name in declared));
    const wrongType = Object.entries(declared)
      .filter(([name, spec]) => variables[name] !== undefined && !fits(spec, variables[name]))
      .map(([name, spec]) => ({ name, expected: typeName(spec) }));
    if (missing.length || extra.length || wrongType.length) {
      throw new PromptVariablesError({
        promptId: this.id,
        promptVersion: this.version,
        missing,
        extra,
        wrongType,
      });
    }
  }

  /** Fills the variables in; missing, undeclared or wrongly typed variables are errors. */
  render(
    variables: Record<string, PromptVariableValue> = {},
    options: RenderOptions = {},
  ): RenderedPrompt {
    this.checkVariables(variables);
    // An optional variable that was not given renders as empty text.
    const values: Record<string, string> = {};
    for (const name of Object.keys(this.frontMatter.variables)) {
      const value = variables[name];
      values[name] = value === undefined ? '' : asText(value);
    }
    const messages: MessageParam[] = this.frontMatter.examples.flatMap((example) => [
      { role: 'user' as const, content: example.input },
      {
        role: 'assistant' as const,
        content:
          typeof example.output === 'string' ? example.output : JSON.stringify(example.output),
      },
    ]);
    if (this.frontMatter.user !== undefined) {
      messages.push({ role: 'user', content: fillPlaceholders(this.frontMatter.user, values) });
    }
    const outputSchema = this.frontMatter.output_schema;
    return {
      ...this.settings(options.environment),
      system: fillPlaceholders(this.body, values),
      messages,
      ...(outputSchema === undefined ? {} : { outputSchema }),
      tags: { promptId: this.id, promptVersion: this.version },
    };
  }
}
