import { KeelError } from '@keel/errors';

/** A path given to ingestion that does not exist (and has nothing indexed under it). */
export class SourceNotFoundError extends KeelError<{ path: string }, 'knowledge_source_not_found'> {
  constructor(path: string) {
    super('knowledge_source_not_found', `${path} does not exist`, { path });
  }
}
