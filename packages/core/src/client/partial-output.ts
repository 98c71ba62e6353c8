import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { estimateTextTokens, type TokenizerFamily } from '../tokens/estimate-tokens.ts';

/** Options of {@link partialOutputTokens}. */
export interface PartialOutputOptions {
  /** The tokenizer family of the model that answered. */
  tokenizer: TokenizerFamily | undefined;
  /** The call's `max_tokens`: the most it can have been billed for. */
  maxTokens: number;
}

/**
 * Output tokens billed for a stream that broke before its final usage arrived: an upper bound.
 *
 * The API reports output usage only at the end, so what was streamed is estimated (text, tool
 * input) on the high side. Thinking cannot be estimated from what is seen: with `display:
 * "omitted"` the block arrives empty, and summarized thinking is billed for the full reasoning,
 * not the summary (https://platform.claude.com/docs/en/build-with-claude/extended-thinking). A
 * snapshot holding any thinking block is therefore counted at `max_tokens`, the worst case the
 * budget hold assumed, so budgets never undercount what a cut stream cost.
 */
export function partialOutputTokens(snapshot: Message, options: PartialOutputOptions): number {
  const reported = snapshot.usage?.output_tokens ?? 0;
  let estimate = 0;
  for (const block of snapshot.content) {
    switch (block.type) {
      case 'thinking':
      case 'redacted_thinking':
        return Math.max(reported, options.maxTokens);
      case 'text':
        estimate += tokens(block.text, options.tokenizer);
        break;
      case 'tool_use':
      case 'server_tool_use':
        estimate += tokens(block.name, options.tokenizer);
        estimate += tokens(JSON.stringify(block.input ?? {}), options.tokenizer);
        break;
      default:
        break;
    }
  }
  return Math.max(reported, Math.min(estimate, options.maxTokens));
}

function tokens(text: string, tokenizer: TokenizerFamily | undefined): number {
  return estimateTextTokens(text, { tokenizer });
}
