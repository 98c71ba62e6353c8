import { KeelError } from '@keel/errors';

/** A file that looks like binary data (NUL bytes, control characters) in a text format slot. */
export class BinaryFileError extends KeelError<
  { path: string; reason: string },
  'knowledge_binary_file'
> {
  constructor(path: string, reason: string) {
    super('knowledge_binary_file', `${path} looks like a binary file (${reason}); not indexed`, {
      path,
      reason,
    });
  }
}
