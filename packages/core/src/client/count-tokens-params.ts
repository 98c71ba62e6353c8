import type { MessageCountTokensParams } from '@anthropic-ai/sdk/resources/messages/messages';
import type { KeelRequest } from './keel-request.ts';

/** The request fields `count_tokens` accepts besides `model` (the SDK's MessageCountTokensParams). */
const countTokensFields = [
  'messages',
  'system',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'cache_control',
  'speed',
  'user_profile_id',
  'workspace_id',
] as const satisfies ReadonlyArray<keyof MessageCountTokensParams>;

/**
 * The `count_tokens` body of a request. It takes fewer fields than `messages.create`:
 * `max_tokens`, `metadata`, `stop_sequences`, `service_tier`, `inference_geo`, `container` and the
 * sampling fields are not among them (under 2026-10-21 sampling fields are a 400 there too), and
 * none of them changes a count. Only its own fields go.
 */
export function countTokensParams(request: KeelRequest, model: string): MessageCountTokensParams {
  const source = request as unknown as Record<string, unknown>;
  const params: Record<string, unknown> = { model };
  for (const field of countTokensFields) {
    if (source[field] !== undefined) params[field] = source[field];
  }
  return params as unknown as MessageCountTokensParams;
}
