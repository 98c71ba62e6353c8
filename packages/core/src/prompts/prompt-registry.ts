import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelCatalog } from '@keel/models';
import type { WarningListener } from '../warnings/keel-warning.ts';
import { PromptFileError, UnknownPromptError } from './prompt-file-error.ts';
import type { PromptEnvironment } from './prompt-schema.ts';
import type { PromptTemplate, PromptVariableValue, RenderedPrompt } from './prompt-template.ts';
import { loadPromptFile } from './parse-prompt-file.ts';

/** Options for {@link loadPromptRegistry}. */
export interface LoadPromptRegistryOptions {
  /** Folder searched (recursively) for `*.md` prompt files. */
  directory: string;
  /** The environment whose overrides `render` applies by default. */
  environment?: PromptEnvironment;
  /** Catalog that models are checked against; default the one shipped with Keel. */
  catalog?: ModelCatalog;
  /** The API version prompts are checked against (see `ParsePromptFileOptions.apiVersion`). */
  apiVersion?: string;
  /** Told about settings that will not reach the model. Default: `process.emitWarning`. */
  onWarning?: WarningListener;
}

/** Every prompt of a folder, loaded and validated up front so a broken file fails at start. */
export class PromptRegistry {
  readonly #prompts: Map<string, PromptTemplate>;
  /** The environment applied by {@link render} unless one is passed. */
  readonly environment: PromptEnvironment | undefined;

  constructor(prompts: Iterable<PromptTemplate>, environment?: PromptEnvironment) {
    this.environment = environment;
    this.#prompts = new Map();
    for (const prompt of prompts) {
      const existing = this.#prompts.get(prompt.id);
      if (existing) {
        throw new PromptFileError({
          file: prompt.file,
          field: 'id',
          issues: [`id "${prompt.id}" is already used by ${existing.file}`],
        });
      }
      this.#prompts.set(prompt.id, prompt);
    }
  }

  /** The prompt with this id; throws UnknownPromptError. */
  get(id: string): PromptTemplate {
    const prompt = this.#prompts.get(id);
    if (!prompt) throw new UnknownPromptError(id, this.ids());
    return prompt;
  }

  /** True when a prompt with this id is loaded. */
  has(id: string): boolean {
    return this.#prompts.has(id);
  }

  /** Loaded prompt ids, sorted. */
  ids(): string[] {
    return [...this.#prompts.keys()].sort();
  }

  /** Renders a prompt for the registry's environment (or the one given). */
  render(
    id: string,
    variables: Record<string, PromptVariableValue> = {},
    environment: PromptEnvironment | undefined = this.environment,
  ): RenderedPrompt {
    return this.get(id).render(variables, environment ? { environment } : {});
  }
}

function markdownFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Loads every prompt file under a folder. The first broken file throws PromptFileError. */
export function loadPromptRegistry(options: LoadPromptRegistryOptions): PromptRegistry {
  let files: string[];
  try {
    files = markdownFiles(options.directory);
  } catch (error) {
    throw new PromptFileError(
      { file: options.directory, issues: [`cannot read folder: ${(error as Error).message}`] },
      { cause: error },
    );
  }
  const catalogOption = {
    ...(options.catalog ? { catalog: options.catalog } : {}),
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  };
  return new PromptRegistry(
    files.map((file) => loadPromptFile(file, catalogOption)),
    options.environment,
  );
}
