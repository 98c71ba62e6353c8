import { KeelError } from '@keel/errors';

/** Thinking options the model (or the rest of the request) does not allow. */
export class ThinkingConfigError extends KeelError<
  { model: string; issues: string[] },
  'thinking_config_invalid'
> {
  constructor(model: string, issues: string[]) {
    super(
      'thinking_config_invalid',
      `Thinking options for ${model} are invalid:\n  - ${issues.join('\n  - ')}`,
      {
        model,
        issues,
      },
    );
  }
}
