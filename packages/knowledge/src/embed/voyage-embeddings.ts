import { EmbeddingRequestError } from '../errors/embedding-request-error.ts';
import { KnowledgeConfigError } from '../errors/knowledge-config-error.ts';
import type { EmbeddingProvider } from './embedding-provider.ts';

/** Options for {@link voyageEmbeddings}. */
export interface VoyageEmbeddingsOptions {
  /** API key. Default: the VOYAGE_API_KEY environment variable. */
  apiKey?: string;
  /** Model id. Default `voyage-3.5`. */
  model?: string;
  /** API base URL. Default `https://api.voyageai.com/v1` (a local fake in tests). */
  baseUrl?: string;
  /** Inputs per request. Default 128. */
  batchSize?: number;
  /** Injected fetch. Default the global fetch. */
  fetch?: typeof fetch;
}

interface VoyageResponse {
  data: Array<{ embedding: number[]; index: number }>;
}

/**
 * Voyage AI embeddings over its HTTP API (`POST /v1/embeddings`), the provider Anthropic
 * recommends. Inputs are sent in batches; vectors come back in input order.
 */
export function voyageEmbeddings(options: VoyageEmbeddingsOptions = {}): EmbeddingProvider {
  const apiKey = options.apiKey ?? process.env['VOYAGE_API_KEY'];
  if (!apiKey)
    throw new KnowledgeConfigError('VOYAGE_API_KEY', 'is not set; dense retrieval needs it');
  const model = options.model ?? 'voyage-3.5';
  const baseUrl = (options.baseUrl ?? 'https://api.voyageai.com/v1').replace(/\/$/, '');
  const batchSize = options.batchSize ?? 128;
  const fetchImpl = options.fetch ?? fetch;

  return {
    model,
    async embed(texts, inputType) {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const input = texts.slice(start, start + batchSize);
        let response: Response;
        try {
          response = await fetchImpl(`${baseUrl}/embeddings`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
            body: JSON.stringify({ input, model, input_type: inputType }),
          });
        } catch (error) {
          throw new EmbeddingRequestError('voyage', null, String(error), { cause: error });
        }
        const body = await response.text();
        if (!response.ok) throw new EmbeddingRequestError('voyage', response.status, body);
        const parsed = JSON.parse(body) as VoyageResponse;
        if (!Array.isArray(parsed.data) || parsed.data.length !== input.length) {
          throw new EmbeddingRequestError(
            'voyage',
            response.status,
            `expected ${input.length} embeddings: ${body}`,
          );
        }
        for (const item of [...parsed.data].sort((a, b) => a.index - b.index)) {
          vectors.push(Float32Array.from(item.embedding));
        }
      }
      return vectors;
    },
  };
}
