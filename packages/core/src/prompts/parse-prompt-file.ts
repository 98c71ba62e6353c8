import { readFileSync } from 'node:fs';
import { defaultModelCatalog, type ModelCatalog } from '@keel/models';
import { z } from 'zod';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { PromptFileError } from './prompt-file-error.ts';
import { promptFrontMatterSchema, type PromptFrontMatter } from './prompt-schema.ts';
import { PromptTemplate } from './prompt-template.ts';
import { promptVersion } from './prompt-version.ts';
import { placeholderNames } from './template-placeholders.ts';
import { sdkDefaultApiVersion } from '../client/api-version.ts';
import { processWarningListener, type WarningListener } from '../warnings/keel-warning.ts';
import { promptSamplingWarnings } from './prompt-sampling-warnings.ts';

/** Options for {@link parsePromptFile}. */
export interface ParsePromptFileOptions {
  /** The file's text: `---`, YAML front matter, `---`, then the system prompt in Markdown. */
  text: string;
  /** The file name, used in errors. */
  file: string;
  /** Catalog that models are checked against; default the one shipped with Keel. */
  catalog?: ModelCatalog;
  /**
   * The `anthropic-version` the prompt will be sent with, for the load-time check of its
   * sampling settings. Default: the installed SDK's (2026-10-21, which has none).
   */
  apiVersion?: string;
  /**
   * Told about settings that will not reach the model (a `temperature` the version or model
   * rejects); they are also kept on `PromptTemplate.warnings`. Default: `process.emitWarning`.
   */
  onWarning?: WarningListener;
}

const frontMatterPattern = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** 1-based file line of the node at `path` (or its nearest existing parent) in the front matter. */
function lineOf(document: Document, lines: LineCounter, path: PropertyKey[]): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = document.getIn(path.slice(0, length) as Array<string | number>, true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line + 1;
  }
  return undefined;
}

function checkModels(front: PromptFrontMatter, catalog: ModelCatalog): string[] {
  const issues: string[] = [];
  const check = (field: string, model: string | undefined, maxTokens: number) => {
    if (model === undefined) return;
    const info = catalog.find(model);
    if (!info) issues.push(`${field}: unknown model "${model}"`);
    else if (maxTokens > info.maxOutputTokens) {
      issues.push(`max_tokens: ${maxTokens} exceeds ${info.id}'s limit of ${info.maxOutputTokens}`);
    }
  };
  check('model', front.model, front.max_tokens);
  for (const [name, override] of Object.entries(front.environments)) {
    if (!override) continue;
    check(
      `environments.${name}.model`,
      override.model ?? front.model,
      override.max_tokens ?? front.max_tokens,
    );
  }
  return [...new Set(issues)];
}

/** Parses and validates one prompt file's text. Throws PromptFileError naming file, field and line. */
export function parsePromptFile(options: ParsePromptFileOptions): PromptTemplate {
  const { text, file } = options;
  const match = frontMatterPattern.exec(text);
  if (!match) {
    throw new PromptFileError({
      file,
      line: 1,
      issues: [
        'a prompt file starts with a `---` line, YAML front matter, and a closing `---` line',
      ],
    });
  }
  const lines = new LineCounter();
  const document = parseDocument(match[1]!, { lineCounter: lines, uniqueKeys: true });
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    throw new PromptFileError(
      {
        file,
        // The front matter starts on the file's second line.
        ...(first.linePos ? { line: first.linePos[0].line + 1 } : {}),
        issues: document.errors.map(
          (error) => `YAML ${error.code}: ${error.message.split('\n')[0]}`,
        ),
      },
      { cause: first },
    );
  }
  const parsed = promptFrontMatterSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const line = lineOf(document, lines, first.path);
    throw new PromptFileError({
      file,
      field: first.path.join('.') || '(front matter)',
      ...(line === undefined ? {} : { line }),
      issues: parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(front matter)'}: ${issue.message}`,
      ),
    });
  }
  const front = parsed.data;
  const body = text.slice(match[0].length).trim();
  if (body === '') {
    throw new PromptFileError({ file, field: 'body', issues: ['the system prompt body is empty'] });
  }

  const used = new Set([...placeholderNames(body), ...placeholderNames(front.user ?? '')]);
  const declared = Object.keys(front.variables);
  const undeclared = [...used].filter((name) => !declared.includes(name));
  const unused = declared.filter((name) => !used.has(name));
  const placeholderIssues = [
    ...undeclared.map((name) => `{{${name}}} is used but not declared under variables`),
    ...unused.map(
      (name) => `variables.${name}: declared but never used in the body or user template`,
    ),
  ];
  if (placeholderIssues.length > 0) {
    const field = undeclared.length ? 'variables' : `variables.${unused[0]}`;
    const line = lineOf(document, lines, field.split('.'));
    throw new PromptFileError({
      file,
      field,
      ...(line === undefined ? {} : { line }),
      issues: placeholderIssues,
    });
  }

  const modelIssues = checkModels(front, options.catalog ?? defaultModelCatalog());
  if (modelIssues.length > 0) {
    const field = modelIssues[0]!.split(':')[0]!;
    const line = lineOf(document, lines, field.split('.'));
    throw new PromptFileError({
      file,
      field,
      ...(line === undefined ? {} : { line }),
      issues: modelIssues,
    });
  }

  let outputZodSchema: z.ZodType | undefined;
  if (front.output_schema !== undefined) {
    try {
      outputZodSchema = z.fromJSONSchema(front.output_schema);
    } catch (error) {
      const line = lineOf(document, lines, ['output_schema']);
      throw new PromptFileError(
        {
          file,
          field: 'output_schema',
          ...(line === undefined ? {} : { line }),
          issues: [`output_schema is not a usable JSON Schema: ${(error as Error).message}`],
        },
        { cause: error },
      );
    }
  }

  // Settings the client will leave out are said now, at load, not discovered as a 400 later.
  const warnings = promptSamplingWarnings(front, {
    apiVersion: options.apiVersion ?? sdkDefaultApiVersion,
    catalog: options.catalog ?? defaultModelCatalog(),
  }).map((warning) => {
    const line = lineOf(document, lines, warning.field.split('.'));
    return `${file}${line === undefined ? '' : `:${line}`}: ${warning.field}: ${warning.message}`;
  });
  const onWarning = options.onWarning ?? processWarningListener;
  for (const message of warnings) {
    try {
      onWarning({
        code: 'prompt_sampling_parameters_ignored',
        message: `Keel: ${message}`,
        details: { file, promptId: front.id },
      });
    } catch {
      // A warning never stops a valid prompt from loading.
    }
  }

  return new PromptTemplate({
    file,
    version: promptVersion(text),
    frontMatter: front,
    body,
    warnings,
    ...(outputZodSchema ? { outputZodSchema } : {}),
  });
}

/** Reads and parses a prompt file from disk. */
export function loadPromptFile(
  path: string,
  options: Omit<ParsePromptFileOptions, 'text' | 'file'> = {},
): PromptTemplate {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PromptFileError(
      { file: path, issues: [`cannot read file: ${(error as Error).message}`] },
      { cause: error },
    );
  }
  return parsePromptFile({ ...options, text, file: path });
}
