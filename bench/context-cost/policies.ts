import type Anthropic from '@anthropic-ai/sdk';
import {
  ContextManager,
  ConversationStore,
  lastMessages,
  openStorage,
  type MessagesRequest,
} from '@keel/core';
import type { Workload } from './workloads.ts';

/** One conversation run under a policy: what to send for each new message, and what came back. */
interface PolicySession {
  /** Takes the new user message (or tool results) and returns the request to send. */
  send(message: Anthropic.MessageParam): Promise<MessagesRequest>;
  /** Records the (scripted) assistant reply. */
  record(message: Anthropic.MessageParam): Promise<void>;
  close(): Promise<void>;
}

/** One way of deciding what is sent on each turn. */
export interface Policy {
  name: string;
  start(workload: Workload): Promise<PolicySession>;
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

/** Sends the full history every turn. */
export function fullRequest(
  workload: Workload,
  messages: Anthropic.MessageParam[],
): MessagesRequest {
  return {
    model: workload.model,
    max_tokens: workload.maxTokens,
    system: workload.system,
    ...(workload.tools.length > 0 ? { tools: workload.tools } : {}),
    messages: withDocuments(workload, messages),
  };
}

/** A policy that keeps the history in memory and derives each request from it. */
function inMemory(
  name: string,
  build: (workload: Workload, history: Anthropic.MessageParam[]) => MessagesRequest,
): Policy {
  return {
    name,
    start: async (workload) => {
      const history: Anthropic.MessageParam[] = [];
      return {
        send: async (message) => {
          history.push(message);
          return build(workload, history);
        },
        record: async (message) => {
          history.push(message);
        },
        close: async () => undefined,
      };
    },
  };
}

/** Full history every turn, no caching. */
const naive = inMemory('naive', (workload, history) => fullRequest(workload, history));

/** The last 10 messages (from a user turn), no caching: the common sliding window. */
const slidingWindow = inMemory('sliding-window', (workload, history) => {
  const { messages } = lastMessages(10).trim({
    messages: history,
    budgetTokens: Number.MAX_SAFE_INTEGER,
    countTokens: () => 0,
  });
  return fullRequest(workload, messages);
});

/** Full history with the API's top-level automatic `cache_control` only. */
const automaticCaching = inMemory('automatic-cache-control', (workload, history) => ({
  ...fullRequest(workload, history),
  cache_control: { type: 'ephemeral' },
}));

/**
 * Keel's default, exactly as an application gets it: a ContextManager over a conversation store
 * (stepped window, recall of trimmed turns, cache-aware assembly), with nothing tuned for the
 * benchmark.
 */
const keelDefault: Policy = {
  name: 'keel-default',
  start: async (workload) => {
    const storage = await openStorage({ url: 'sqlite::memory:' });
    const store = new ConversationStore({ storage });
    const manager = new ContextManager({ store });
    const conversation = await store.create({ ownerId: 'bench' });
    return {
      send: async (message) => {
        const turn = await manager.prepareTurn({
          conversationId: conversation.id,
          ownerId: 'bench',
          userMessage: message,
          model: workload.model,
          maxTokens: workload.maxTokens,
          system: workload.system,
          tools: workload.tools,
          pinned: workload.documents,
        });
        return turn.request;
      },
      record: async (message) => {
        await store.append(conversation.id, 'bench', message);
      },
      close: () => storage.close(),
    };
  },
};

export const policies: Policy[] = [naive, slidingWindow, automaticCaching, keelDefault];
