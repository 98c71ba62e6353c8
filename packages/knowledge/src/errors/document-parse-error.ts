import { KeelError } from '@keel/errors';

/** A file in a supported format that its parser could not read (a corrupt PDF or DOCX). */
export class DocumentParseError extends KeelError<
  { path: string; format: string },
  'knowledge_parse_failed'
> {
  constructor(path: string, format: string, options?: { cause?: unknown }) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(
      'knowledge_parse_failed',
      `${path} could not be read as ${format}${reason}`,
      { path, format },
      options,
    );
  }
}
