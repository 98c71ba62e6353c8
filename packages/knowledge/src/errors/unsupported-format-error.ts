import { KeelError } from '@keel/errors';

/** A file whose extension no extractor handles. */
export class UnsupportedFormatError extends KeelError<
  { path: string; extension: string },
  'knowledge_unsupported_format'
> {
  constructor(path: string, extension: string) {
    super(
      'knowledge_unsupported_format',
      `${path}: "${extension || '(no extension)'}" files are not supported`,
      { path, extension },
    );
  }
}
