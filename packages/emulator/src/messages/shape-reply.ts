import type { Reply, ReplyBlock } from '../responder/reply.ts';
import { partialToolInput } from './partial-tool-input.ts';
import type { OutputBlock, RefusalStopDetails, StopReason } from './response-types.ts';
import type { PrefixChain } from './thinking-binding.ts';
import { signThinking } from './thinking-signature.ts';
import {
  countTextTokens,
  newerTokenizerRatio,
  tokenize,
  type TokenizerFamily,
} from './tokenizer.ts';

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
  /**
   * Text the model writes before a tool call comes back as a `thinking` block (Claude Opus 5.5,
   * Sonnet 5.5, Fable 5.1: catalog `capabilities.thinking.toolTextInThinking`).
   */
  toolTextInThinking?: boolean;
  /**
   * Whether those progress-update blocks keep their text (default: unless `omitThinking`).
   * Under Sonnet 5.5's `between_tools` they come back "with their summarized text"
   * (https://platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5).
   */
  showToolText?: boolean;
  /**
   * The model's tokenizer family: output is counted with it, as input is (default `claude-3`).
   * A cut at the budget keeps the text whose count fits.
   */
  family?: TokenizerFamily;
  /**
   * On models with preserved thinking: the digest chain of the request as sent (system, tools,
   * messages), made on first need. Thinking blocks are then signed bound to their prefix.
   */
  bindingChain?: () => PrefixChain;
  /** Issues the id of a tool call the reply gives none. */
  nextToolId: () => string;
}

/** One output block with what streaming it needs. */
interface ShapedBlock {
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

/**
 * The longest leading run of `text` whose count in `family` fits `budget`: the first base token
 * pieces, as many as the family's ratio allows (for `claude-4-7`, ceil(n * ratio) <= budget).
 */
function leadingTokens(text: string, budget: number, family: TokenizerFamily): string {
  const base = family === 'claude-4-7' ? Math.floor(budget / newerTokenizerRatio) : budget;
  return tokenize(text).slice(0, Math.max(0, base)).join('');
}

/**
 * On models that put text between tool calls in thinking blocks, a text block followed later in
 * the reply by a tool call becomes a thinking block (a progress update); text after the last
 * call stays text.
 */
function moveToolText(blocks: readonly ReplyBlock[]): Array<ReplyBlock & { update?: true }> {
  const lastCall = blocks.map((block) => block.type).lastIndexOf('tool_use');
  return blocks.map((block, index) =>
    block.type === 'text' && index < lastCall
      ? { type: 'thinking', thinking: block.text, update: true }
      : block,
  );
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
  const family = limits.family ?? 'claude-3';
  const count = (text: string) => countTextTokens(text, family);
  const replyBlocks = limits.toolTextInThinking ? moveToolText(reply.blocks) : reply.blocks;
  let chain: PrefixChain | undefined;
  /** The prefix of the next block: the request, then this reply's blocks so far. */
  const boundPrefix = (): Buffer | undefined => {
    if (!limits.bindingChain) return undefined;
    if (!chain) {
      chain = limits.bindingChain();
      chain.startMessage('assistant');
      for (const shaped of blocks) chain.add(shaped.block);
    }
    return chain.current();
  };
  const emit = (shaped: ShapedBlock) => {
    blocks.push(shaped);
    chain?.add(shaped.block);
  };

  const spend = (tokens: number) => {
    budget -= tokens;
    outputTokens += tokens;
  };
  const stopAt = (reason: StopReason, sequence: string | null = null) => {
    stopReason = reason;
    stopSequence = sequence;
    stopped = true;
  };

  for (const block of replyBlocks as Array<ReplyBlock & { update?: true }>) {
    if (budget <= 0) {
      stopAt(limitReason);
      break;
    }
    if (block.type === 'text') {
      const matched = firstStop(block.text, limits.stopSequences);
      const wanted = matched ? block.text.slice(0, matched.at) : block.text;
      const total = count(wanted);
      const cut = total > budget;
      const text = cut ? leadingTokens(wanted, budget, family) : wanted;
      const tokens = Math.min(total, budget);
      const cited =
        block.citations && block.citations.length > 0 ? { citations: block.citations } : {};
      emit({ block: { type: 'text', text, ...cited }, tokens });
      spend(tokens);
      if (cut) stopAt(limitReason);
      else if (matched) stopAt('stop_sequence', matched.stop);
    } else if (block.type === 'thinking') {
      const total = count(block.thinking);
      const cut = total > budget;
      const thinking = cut ? leadingTokens(block.thinking, budget, family) : block.thinking;
      const tokens = Math.min(total, budget);
      const bound = boundPrefix();
      const hidden = block.update
        ? !(limits.showToolText ?? !limits.omitThinking)
        : limits.omitThinking;
      emit({
        block: {
          type: 'thinking',
          thinking: hidden ? '' : thinking,
          signature: signThinking(
            thinking,
            bound ? { omitted: hidden, bound } : { omitted: hidden },
          ),
        },
        tokens,
      });
      spend(tokens);
      thinkingTokens += tokens;
      if (cut) stopAt(limitReason);
    } else if (block.type === 'redacted_thinking') {
      // Opaque: the blob arrives whole or not at all; its cost stands in for the hidden reasoning.
      const cost = count(block.data);
      const tokens = Math.min(cost, budget);
      if (cost <= budget) emit({ block: { type: 'redacted_thinking', data: block.data }, tokens });
      spend(tokens);
      thinkingTokens += tokens;
      if (cost > tokens) stopAt(limitReason);
    } else {
      const nameTokens = count(block.name);
      const fullJson = JSON.stringify(block.input);
      const matched = firstStop(fullJson, limits.stopSequences);
      const wanted = matched ? fullJson.slice(0, matched.at) : fullJson;
      const total = nameTokens + count(wanted);
      const cut = total > budget;
      const inputJson = cut ? leadingTokens(wanted, budget - nameTokens, family) : wanted;
      const tokens = Math.min(total, budget);
      emit({
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
