import { KeelError } from '@keel/errors';

/** Facts about a prompt file that failed to load. */
export interface PromptFileErrorDetails {
  /** The file (or source name) that is broken. */
  file: string;
  /** The front-matter field at fault, as a dotted path (`variables.diff.type`), when known. */
  field?: string;
  /** The 1-based line in the file, when known (YAML syntax errors). */
  line?: number;
  /** Every problem found, one sentence each. */
  issues: string[];
}

/** A prompt file that cannot be loaded: bad YAML, a missing field, an undeclared placeholder. */
export class PromptFileError extends KeelError<PromptFileErrorDetails, 'prompt_file_invalid'> {
  constructor(details: PromptFileErrorDetails, options?: { cause?: unknown }) {
    const where = [details.file, details.line === undefined ? undefined : `line ${details.line}`]
      .filter(Boolean)
      .join(':');
    const field = details.field ? ` (field "${details.field}")` : '';
    super(
      'prompt_file_invalid',
      `Prompt file ${where}${field} is invalid:\n  - ${details.issues.join('\n  - ')}`,
      details,
      options,
    );
  }
}

/** Facts about variables that do not fit a prompt's declaration. */
export interface PromptVariablesErrorDetails {
  promptId: string;
  promptVersion: string;
  /** Required variables that were not given. */
  missing: string[];
  /** Variables that were given but are not declared. */
  extra: string[];
  /** Variables whose value has the wrong type, with the expected type. */
  wrongType: Array<{ name: string; expected: string }>;
}

/** Rendering a prompt with variables that are missing, undeclared or of the wrong type. */
export class PromptVariablesError extends KeelError<
  PromptVariablesErrorDetails,
  'prompt_variables_invalid'
> {
  constructor(details: PromptVariablesErrorDetails) {
    const parts = [
      details.missing.length ? `missing: ${details.missing.join(', ')}` : '',
      details.extra.length ? `not declared: ${details.extra.join(', ')}` : '',
      ...details.wrongType.map((w) => `${w.name} must be ${w.expected}`),
    ].filter(Boolean);
    super(
      'prompt_variables_invalid',
      `Variables for prompt "${details.promptId}" are invalid: ${parts.join('; ')}`,
      details,
    );
  }
}

/** A prompt id the registry does not hold. */
export class UnknownPromptError extends KeelError<
  { promptId: string; known: string[] },
  'prompt_unknown'
> {
  constructor(promptId: string, known: string[]) {
    super('prompt_unknown', `Unknown prompt "${promptId}". Known prompts: ${known.join(', ')}`, {
      promptId,
      known,
    });
  }
}
