import type { ModelInfo } from '@keel/models';
import type { ApiVersion } from '../http/api-version.ts';
import { invalidRequest } from '../http/api-error.ts';
import {
  messageRequestSchema,
  type ContentBlockParam,
  type CountTokensRequest,
  type MessageRequest,
} from './request-schema.ts';

/**
 * The rules that differ by `anthropic-version` (data/api-versions.json), and the per-model
 * sampling rule that holds under every version.
 *
 * 2026-10-21 (https://platform.claude.com/docs/en/api/migration-2026-10-21), for Messages, token
 * counting and each request of a batch created with it:
 * - `temperature`, `top_p` and `top_k` are removed: "a request that sends temperature, top_p, or
 *   top_k returns a 400 error, even at the parameter's default value". They are unknown fields,
 *   so the error is the schema's own: `temperature: Extra inputs are not permitted`.
 * - a `document` block directly in an `assistant` message is a 400 (documents nested in other
 *   blocks, such as a web fetch result, are still accepted);
 * - a `text` block with a non-empty `citations` array in a `user` message, directly or inside a
 *   `search_result` block, is a 400 (citations on assistant text, and `citations: {enabled}` on
 *   documents and search results, are still accepted).
 * The docs give no error text for the last two; the emulator's wording is its own (see the
 * fidelity table in the emulator README).
 */

/** The Messages body schema under 2026-10-21: the sampling parameters are unknown fields. */
const messageRequestSchemaWithoutSampling = messageRequestSchema.omit({
  temperature: true,
  top_p: true,
  top_k: true,
});

/** The schema a Messages body is validated with under `version`. */
export function messageSchemaFor(version: ApiVersion): typeof messageRequestSchema {
  // The 2026-10-21 schema's output is the 2023-06-01 one without three optional fields.
  return (
    version === '2026-10-21' ? messageRequestSchemaWithoutSampling : messageRequestSchema
  ) as typeof messageRequestSchema;
}

/** The sampling parameters and the values a `defaults-only` model accepts (top_k has none). */
const samplingDefaults = { temperature: 1, top_p: 1, top_k: undefined } as const;

/**
 * Models whose catalog entry says `samplingParameters: 'defaults-only'` (Claude Opus 4.7 and
 * later) reject a non-default sampling parameter under every version, with
 * "`temperature` is deprecated for this model." (real responses from claude-opus-4-7:
 * github.com/Comfy-Org/ComfyUI#13923, github.com/sipeed/picoclaw#2939).
 */
function checkSamplingForModel(
  request: Partial<Pick<MessageRequest, 'temperature' | 'top_p' | 'top_k'>>,
  model: ModelInfo,
): void {
  if (model.capabilities.samplingParameters !== 'defaults-only') return;
  for (const name of ['temperature', 'top_p', 'top_k'] as const) {
    const value = request[name];
    if (value !== undefined && value !== samplingDefaults[name]) {
      throw invalidRequest(`\`${name}\` is deprecated for this model.`);
    }
  }
}

const hasCitations = (block: { citations?: unknown }): boolean =>
  Array.isArray(block.citations) && block.citations.length > 0;

/**
 * The location (API style, union tags included) of a text block with citations in a user
 * message: a text block of the message, or a text block inside a search_result block (of the
 * message, or of a tool_result's content, where search results usually travel).
 */
function userCitationsAt(
  blocks: readonly ContentBlockParam[],
  path: string,
  options: { searchResultsOnly: boolean },
): string | undefined {
  for (const [index, block] of blocks.entries()) {
    const at = `${path}.${index}.${block.type}`;
    if (block.type === 'text' && !options.searchResultsOnly && hasCitations(block)) {
      return `${at}.citations`;
    }
    if (block.type === 'search_result') {
      const inner = block.content.findIndex(hasCitations);
      if (inner !== -1) return `${at}.content.${inner}.citations`;
    }
    if (block.type === 'tool_result' && Array.isArray(block.content)) {
      const found = userCitationsAt(block.content, `${at}.content`, {
        searchResultsOnly: true,
      });
      if (found) return found;
    }
  }
  return undefined;
}

function checkMessagesFor2026(request: CountTokensRequest): void {
  request.messages.forEach((message, messageIndex) => {
    if (typeof message.content === 'string') return;
    const path = `messages.${messageIndex}.content`;
    if (message.role === 'assistant') {
      const index = message.content.findIndex((block) => block.type === 'document');
      if (index !== -1) {
        throw invalidRequest(
          `${path}.${index}: document blocks are not accepted in assistant messages; send documents in user messages`,
        );
      }
      return;
    }
    const location = userCitationsAt(message.content, path, { searchResultsOnly: false });
    if (location) {
      throw invalidRequest(
        `${location}: citations are not accepted on text blocks in user messages; remove them`,
      );
    }
  });
}

/** What the version rules need besides the validated body. */
export interface VersionRuleOptions {
  /** The request's `anthropic-version`. */
  version: ApiVersion;
  /** The catalog entry of the requested model. */
  model: ModelInfo;
}

/**
 * Applies the rules of the request's version and its model's sampling rule to a body that passed
 * the version's schema (messageSchemaFor). Throws the API's 400.
 */
export function checkVersionRules(
  request: CountTokensRequest & Partial<Pick<MessageRequest, 'temperature' | 'top_p' | 'top_k'>>,
  options: VersionRuleOptions,
): void {
  checkSamplingForModel(request, options.model);
  if (options.version === '2026-10-21') checkMessagesFor2026(request);
}
