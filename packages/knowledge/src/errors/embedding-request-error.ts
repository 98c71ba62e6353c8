import { KeelError } from '@keel/errors';

/** The embedding provider refused or failed a request. */
export class EmbeddingRequestError extends KeelError<
  {
    provider: string;
    status: number | null;
    body: string;
  },
  'knowledge_embedding_failed'
> {
  constructor(
    provider: string,
    status: number | null,
    body: string,
    options?: { cause?: unknown },
  ) {
    super(
      'knowledge_embedding_failed',
      `${provider} embeddings request failed${status === null ? '' : ` with HTTP ${status}`}: ${body.slice(0, 300)}`,
      { provider, status, body },
      options,
    );
  }
}
