import type { Reply, ReplyBlock } from '../responder/reply.ts';
import { partialToolInput } from './partial-tool-input.ts';
import type { OutputBlock, RefusalStopDetails, StopReason } from './response-types.ts';
import { signThinking } from './thinking-signature.ts';
import { countTextTokens, tokenize } from './tokenizer.ts';

/** The limits generation runs into, in the order the model meets them. */
export interface ReplyLimits {
  /** The request's `max_tokens`. */
  maxTokens: number;
  /**
   * Output tokens left in the context window, on a model that stops there
   * (`capabilities.contextWindowExceededStop`); undefined where the window is checked up front.
   */
  windowRoom?: number;
  /** The request's `stop_sequences`. */
  stopSequences: readonly string[];
  /** `thinking.display: "omitted"`: thinking text is withheld (still signed and billed). */
  omitThinking: boolean;
  /** Issues the id of a tool call the reply gives none. */
  nextToolId: () => string;
}

/** One output block with what streaming it needs. */
export interface ShapedBlock {
  block: OutputBlock;
  /** Output tokens the block cost. */
  tokens: number;
  /** For tool_use: the JSON text the model generated (mid-JSON when the call was cut short). */
  inputJson?: string;
}

/** A reply cut to its limits: the content, why it stopped, and its token accounting. */
export interface ShapedReply {
  blocks: ShapedBlock[];
  stopReason: StopReason;
  stopSequence: string | null;
  stopDetails: RefusalStopDetails | null;
  outputTokens: number;
  /** Output tokens spent on thinking, redacted or not (`usage.output_tokens_details`). */
  thinkingTokens: number;
}

/** The earliest stop sequence in `text`, if any. */
function firstStop(
  text: string,
  stops: readonly string[],
): { stop: string; at: number } | undefined {
  let found: { stop: string; at: number } | undefined;
  for (const stop of stops) {
    if (stop === '') continue;
    const at = text.indexOf(stop);
    if (at !== -1 && (!found || at < found.at)) found = { stop, at };
  }
  return found;
}

/** The first `count` token pieces of `text`, and how many characters they span. */
function leadingTokens(text: string, count: number): { text: string; tokens: number } {
  const pieces = tokenize(text).slice(0, Math.max(0, count));
  return { text: pieces.join(''), tokens: pieces.length };
}

/**
 * Applies the limits a real model meets while generating: the output budget (`max_tokens`, or the
 * context window when it is nearer, which stops with `model_context_window_exceeded`) counts
 * thinking, text and tool-call JSON alike; a stop sequence ends the output where it appears, in
 * text or inside a tool call's JSON. A block cut short is kept with what was generated: text up to
 * the cut, a tool call with partial input (see partial-tool-input.ts).
 */
export function shapeReply(reply: Reply, limits: ReplyLimits): ShapedReply {
  const windowFirst = limits.windowRoom !== undefined && limits.windowRoom < limits.maxTokens;
  const limitReason: StopReason = windowFirst ? 'model_context_window_exceeded' : 'max_tokens';
  let budget = windowFirst ? Math.max(0, limits.windowRoom!) : limits.maxTokens;
  let stopReason: StopReason =
    reply.stopReason ?? (reply.blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  let stopSequence: string | null = null;
  const blocks: ShapedBlock[] = [];
  let outputTokens = 0;
  let thinkingTokens = 0;
  let stopped = false;

  const spend = (tokens: number) => {
    budget -= tokens;
    outputTokens += tokens;
  };
  const stopAt = (reason: StopReason, sequence: string | null = null) => {
    stopReason = reason;
    stopSequence = sequence;
    stopped = true;
  };

  for (const block of reply.blocks as ReplyBlock[]) {
    if (budget <= 0) {
      stopAt(limitReason);
      break;
    }
    if (block.type === 'text') {
      const matched = firstStop(block.text, limits.stopSequences);
      const wanted = matched ? block.text.slice(0, matched.at) : block.text;
      const total = countTextTokens(wanted);
      const cut = total > budget;
      const text = cut ? leadingTokens(wanted, budget).text : wanted;
      const tokens = Math.min(total, budget);
      const cited =
        block.citations && block.citations.length > 0 ? { citations: block.citations } : {};
      blocks.push({ block: { type: 'text', text, ...cited }, tokens });
      spend(tokens);
      if (cut) stopAt(limitReason);
      else if (matched) stopAt('stop_sequence', matched.stop);
    } else if (block.type === 'thinking') {
      const total = countTextTokens(block.thinking);
      const cut = total > budget;
      const thinking = cut ? leadingTokens(block.thinking, budget).text : block.thinking;
      const tokens = Math.min(total, budget);
      blocks.push({
        block: {
          type: 'thinking',
          thinking: limits.omitThinking ? '' : thinking,
          signature: signThinking(thinking, { omitted: limits.omitThinking }),
        },
        tokens,
      });
      spend(tokens);
      thinkingTokens += tokens;
      if (cut) stopAt(limitReason);
    } else if (block.type === 'redacted_thinking') {
      // Opaque: the blob arrives whole or not at all; its cost stands in for the hidden reasoning.
      const cost = countTextTokens(block.data);
      const tokens = Math.min(cost, budget);
      if (cost <= budget)
        blocks.push({ block: { type: 'redacted_thinking', data: block.data }, tokens });
      spend(tokens);
      thinkingTokens += tokens;
      if (cost > tokens) stopAt(limitReason);
    } else {
      const nameTokens = countTextTokens(block.name);
      const fullJson = JSON.stringify(block.input);
      const matched = firstStop(fullJson, limits.stopSequences);
      const wanted = matched ? fullJson.slice(0, matched.at) : fullJson;
      const total = nameTokens + countTextTokens(wanted);
      const cut = total > budget;
      const inputJson = cut ? leadingTokens(wanted, budget - nameTokens).text : wanted;
      const tokens = Math.min(total, budget);
      blocks.push({
        block: {
          type: 'tool_use',
          id: block.id ?? limits.nextToolId(),
          name: block.name,
          input:
            inputJson === fullJson ? block.input : partialToolInput(block.input, inputJson.length),
          caller: { type: 'direct' },
        },
        tokens,
        inputJson,
      });
      spend(tokens);
      if (cut) stopAt(limitReason);
      else if (matched) stopAt('stop_sequence', matched.stop);
    }
    if (stopped) break;
  }

  const stopDetails: RefusalStopDetails | null =
    stopReason === 'refusal'
      ? {
          type: 'refusal',
          category: reply.refusal?.category ?? null,
          explanation: reply.refusal?.explanation ?? null,
        }
      : null;
  return { blocks, stopReason, stopSequence, stopDetails, outputTokens, thinkingTokens };
}
