import type { KeelErrorCode } from './keel-error-code.ts';

/**
 * The root of Keel's error hierarchy. Every error Keel raises on purpose extends this class,
 * carries a stable machine-readable `code`, and keeps its structured facts in `details` so that
 * callers (the server's error handler, the CLI's exit-code mapper) never match on message text.
 */
export class KeelError<
  Details extends object = Record<string, unknown>,
  Code extends KeelErrorCode = KeelErrorCode,
> extends Error {
  /** Stable, machine-readable identifier, e.g. `budget_exceeded`; a subclass may narrow it. */
  readonly code: Code;
  /** Structured facts about the failure. */
  readonly details: Details;

  constructor(code: Code, message: string, details: Details, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  /** A plain JSON shape, safe to log or send to a client. */
  toJSON(): { name: string; code: Code; message: string; details: Details } {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }

  /** True when `value` is a KeelError, optionally with the given code. */
  static is(value: unknown, code?: KeelErrorCode): value is KeelError {
    return value instanceof KeelError && (code === undefined || value.code === code);
  }
}

/** Input that failed validation: a config file, a prompt file, a request body. */
export class ValidationError extends KeelError<
  { source: string; issues: string[] },
  'validation_failed'
> {
  constructor(source: string, issues: string[], options?: { cause?: unknown }) {
    super(
      'validation_failed',
      `${source} is invalid:\n  - ${issues.join('\n  - ')}`,
      { source, issues },
      options,
    );
  }
}
