import type Anthropic from '@anthropic-ai/sdk';
import {
  assembleRequest,
  lastMessages,
  recallTrimmed,
  steppedWindow,
  type TrimState,
} from '@keel/core';
import { defaultModelCatalog } from '@keel/models';
import type { Workload } from './workloads.ts';

export interface PolicyInput {
  workload: Workload;
  /** The whole conversation so far, ending with the new user message. */
  history: Anthropic.MessageParam[];
  countTokens: (value: unknown) => number;
}

export interface PreparedTurn {
  params: Anthropic.MessageCreateParamsNonStreaming;
}

/** One way of deciding what is sent on each turn. */
export interface Policy {
  name: string;
  /** Called once per workload; returns the per-turn preparer (which may keep state). */
  start(): (input: PolicyInput) => PreparedTurn;
}

function withDocuments(
  workload: Workload,
  messages: Anthropic.MessageParam[],
): Anthropic.MessageParam[] {
  if (workload.documents.length === 0 || messages.length === 0) return messages;
  const [first, ...rest] = messages;
  const content =
    typeof first!.content === 'string'
      ? [{ type: 'text' as const, text: first!.content }]
      : first!.content;
  return [
    { role: first!.role, content: [...workload.documents, ...content] } as Anthropic.MessageParam,
    ...rest,
  ];
}

function plain(
  workload: Workload,
  messages: Anthropic.MessageParam[],
): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: workload.model,
    max_tokens: workload.maxTokens,
    system: workload.system,
    ...(workload.tools.length > 0 ? { tools: workload.tools } : {}),
    messages: withDocuments(workload, messages),
  };
}

/** Full history every turn, no caching. */
export const naive: Policy = {
  name: 'naive',
  start:
    () =>
    ({ workload, history }) => ({ params: plain(workload, history) }),
};

/** The last 10 messages, no caching: the common sliding window. */
export const slidingWindow: Policy = {
  name: 'sliding-window',
  start: () => {
    const strategy = lastMessages(10);
    return ({ workload, history, countTokens }) => {
      const result = strategy.trim({
        messages: history,
        budgetTokens: Number.MAX_SAFE_INTEGER,
        countTokens,
      });
      return { params: plain(workload, result.messages) };
    };
  },
};

/** Full history with the API's top-level automatic `cache_control` only. */
export const automaticCaching: Policy = {
  name: 'automatic-cache-control',
  start:
    () =>
    ({ workload, history }) => ({
      params: { ...plain(workload, history), cache_control: { type: 'ephemeral' } },
    }),
};

/**
 * Keel's default: the stepped window (the history start moves rarely, by large steps, so the
 * cached prefix survives), trimmed turns recalled when the user refers to them, and cache-aware
 * assembly with breakpoints on the stable layers and on the previous request's end.
 */
export const keelDefault: Policy = {
  name: 'keel-default',
  start: () => {
    const strategy = steppedWindow();
    let state: TrimState | undefined;
    return ({ workload, history, countTokens }) => {
      const model = defaultModelCatalog().get(workload.model);
      const fixed =
        countTokens(workload.system) +
        workload.tools.reduce((sum, tool) => sum + countTokens(tool), 0) +
        workload.documents.reduce((sum, document) => sum + countTokens(document), 0);
      const budgetTokens = Math.floor(model.contextWindow * 0.8) - workload.maxTokens - fixed;
      const trimmed = strategy.trim({
        messages: history,
        budgetTokens,
        countTokens,
        ...(state ? { state } : {}),
      });
      state = trimmed.state;
      const messages = [...trimmed.messages];
      if (trimmed.start > 0) {
        const last = messages[messages.length - 1]!;
        const query =
          typeof last.content === 'string'
            ? last.content
            : last.content.map((b) => (b.type === 'text' ? b.text : '')).join(' ');
        const recalled = recallTrimmed({ trimmed: history.slice(0, trimmed.start), query });
        if (recalled.length > 0) {
          const note = `Recalled from earlier in this conversation:\n${recalled.map((passage) => `- ${passage.text}`).join('\n')}`;
          const content =
            typeof last.content === 'string'
              ? [{ type: 'text' as const, text: last.content }]
              : last.content;
          messages[messages.length - 1] = {
            role: 'user',
            content: [...content, { type: 'text', text: note }],
          };
        }
      }
      const assembled = assembleRequest({
        tools: workload.tools,
        system: workload.system,
        pinned: workload.documents,
        messages,
        minCacheableTokens: model.minCacheableTokens,
        countTokens,
      });
      return {
        params: {
          model: workload.model,
          max_tokens: workload.maxTokens,
          ...(assembled.system ? { system: assembled.system } : {}),
          ...(assembled.tools ? { tools: assembled.tools as Anthropic.Tool[] } : {}),
          messages: assembled.messages,
        },
      };
    };
  },
};

export const policies: Policy[] = [naive, slidingWindow, automaticCaching, keelDefault];
