import { KeelError } from '@keel/errors';

/** The knowledge base was opened or queried with settings that cannot work together. */
export class KnowledgeConfigError extends KeelError<
  { setting: string; problem: string },
  'knowledge_config_invalid'
> {
  constructor(setting: string, problem: string) {
    super('knowledge_config_invalid', `${setting}: ${problem}`, { setting, problem });
  }
}
