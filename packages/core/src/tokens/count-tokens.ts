import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCountTokensParams } from '@anthropic-ai/sdk/resources/messages/messages';
import { KeelError } from '@keel/errors';
import { estimateInputTokens } from './estimate-tokens.ts';
import { tokenizerForModel } from './tokenizer-for-model.ts';

/** Where the count comes from. */
export type TokenCountMode =
  /** The offline estimate: instant, approximate. */
  | 'local'
  /** The `count_tokens` endpoint: exact for the real tokenizer, one HTTP round trip (free). */
  | 'api'
  /** The endpoint when a client is given and reachable, else the local estimate. */
  | 'auto';

/** Options of `countTokens`. */
export interface CountTokensOptions {
  /** Default `auto`. */
  mode?: TokenCountMode;
  /** The SDK client used for `api` and `auto`. */
  client?: Anthropic;
  /** Aborts the API call. */
  signal?: AbortSignal;
}

/** A token count and where it came from. */
export interface TokenCount {
  /** Input tokens of the request. */
  inputTokens: number;
  /** `api` (exact) or `local` (estimate). */
  source: 'api' | 'local';
}

/** Counts the input tokens of a request, locally or through the `count_tokens` endpoint. */
export async function countTokens(
  request: MessageCountTokensParams,
  options: CountTokensOptions = {},
): Promise<TokenCount> {
  const mode = options.mode ?? 'auto';
  // The local estimate counts with the family of the model the request names.
  const local = () => estimateInputTokens(request, { tokenizer: tokenizerForModel(request.model) });
  if (mode === 'local' || (mode === 'auto' && !options.client)) {
    return { inputTokens: local(), source: 'local' };
  }
  if (!options.client) {
    throw new KeelError('token_count_client_missing', 'countTokens mode "api" needs a client', {
      mode,
    });
  }
  try {
    const counted = await options.client.messages.countTokens(request, {
      signal: options.signal,
      maxRetries: 1,
    });
    return { inputTokens: counted.input_tokens, source: 'api' };
  } catch (error) {
    if (mode === 'api' || options.signal?.aborted) throw error;
    return { inputTokens: local(), source: 'local' };
  }
}
