import type {
  ImageBlockParam,
  Message,
  TextBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import {
  BudgetExceededError,
  BudgetUnpricedModelError,
  streamAgent,
  thinkingForModel,
  type AgentTool,
  type ContextManager,
  type ConversationStore,
  type KeelClient,
  type MessageParam,
  type RetryNotice,
  type ToolLogger,
  type ToolOutput,
} from '@keel/core';
import type { TurnErrorCode } from '@keel/errors';
import type { Account } from '../accounts/account-store.ts';
import type { AssistantMode, EmitChatEvent, TurnUsage } from './chat-events.ts';
import { budgetedCaller, type CallSpend } from './budgeted-caller.ts';
import { toolSummary } from './tool-summary.ts';
import { TurnDeadlineError } from './turn-deadline-error.ts';
import { describeTurnError, turnErrorFor } from './turn-error.ts';
import { describeOutcome, turnOutcome } from './turn-outcome.ts';

/** An attached image, already validated (media type and base64 data). */
interface ChatImage {
  mediaType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
  /** Base64 without a data: prefix. */
  data: string;
}

/** Everything a turn needs from the running assistant. */
export interface ChatTurnServices {
  client: KeelClient;
  store: ConversationStore;
  context: ContextManager;
  tools: AgentTool[];
  /** Tools whose output reaches the model as `search_result` blocks. */
  searchTools: ReadonlySet<string>;
  system: string;
  model: string;
  maxTokens: number;
  maxIterations: number;
  thinkingBudgetTokens: number | undefined;
  /** The ledger `feature` tag. */
  feature: string;
  mode: AssistantMode;
  logger: ToolLogger;
  /** Waits until the ledger holds every call made so far (so usage read after a turn sees it). */
  flushLedger: () => Promise<void>;
}

/** Options of {@link runChatTurn}. */
export interface ChatTurnOptions {
  services: ChatTurnServices;
  /** The authenticated user: the only principal the tools ever see. */
  account: Account;
  conversationId: string;
  text: string;
  images: ChatImage[];
  /** Aborted by stop, shutdown or a closed connection; `reason` says which. */
  signal: AbortSignal;
  /**
   * Told once the turn's first model call is admitted by the budgets (its worst case, computed
   * from the request actually sent, is held) and the user message is stored. Before that nothing
   * is stored or sent; a turn the budgets refuse ends with `refusal` instead and never calls this.
   */
  onAdmitted?: () => void;
  emit: EmitChatEvent;
}

/** How a turn ended, for metrics and logs. */
export interface ChatTurnResult {
  outcome: string;
  usage: TurnUsage;
  /** Whether the assistant's turn was stored as complete. */
  complete: boolean;
  /**
   * The budgets refused the turn before any model call went out (its first call, or a context
   * summary it needed): nothing was stored; the route answers with this error (402).
   */
  refusal?: BudgetExceededError | BudgetUnpricedModelError;
}

/** Reasons a turn's signal is aborted with. */
export const abortReasons = {
  stopped: 'stopped',
  shutdown: 'server_shutdown',
  clientClosed: 'client_closed',
} as const;

/**
 * Runs one chat turn: stores the user message, streams the answer through the agent loop (tools,
 * citations, thinking) to `emit`, and stores the assistant's turn as `streaming`, then `complete`
 * — or `incomplete` when it is stopped or fails, with what was said so far.
 */
export async function runChatTurn(options: ChatTurnOptions): Promise<ChatTurnResult> {
  const { services, account, conversationId, signal, emit } = options;
  const { store } = services;
  const ownerId = account.id;
  const spends: CallSpend[] = [];
  emit({ type: 'status', mode: services.mode, model: services.model, sessionId: conversationId });

  const userContent: Array<ImageBlockParam | TextBlockParam> = [
    ...options.images.map((image): ImageBlockParam => ({
      type: 'image',
      source: { type: 'base64', media_type: image.mediaType, data: image.data },
    })),
    { type: 'text', text: options.text },
  ];
  const userMessage: MessageParam = { role: 'user', content: userContent };
  const tags = { feature: services.feature, user: account.id, session: conversationId };
  let prepared: Awaited<ReturnType<ContextManager['prepareTurn']>>;
  try {
    prepared = await services.context.prepareTurn({
      conversationId,
      ownerId,
      userMessage,
      // Stored once the first call is admitted: a turn the budgets refuse leaves nothing behind.
      storeUserMessage: false,
      // Summaries of trimmed turns are paid from this user's and session's budgets, and counted
      // in the turn's usage like its other calls.
      tags,
      caller: budgetedCaller({ client: services.client, onSpend: (spend) => spends.push(spend) }),
      model: services.model,
      maxTokens: services.maxTokens,
      system: services.system,
      tools: services.tools.map((tool) => tool.definition),
    });
  } catch (error) {
    if (isBudgetRefusal(error)) return refused(error, spends);
    emit(errorEvent(error, signal));
    return { outcome: 'error', usage: totalUsage(spends), complete: false };
  }

  const outputs = new Map<string, ToolOutput>();
  const tools = services.tools.map((tool): AgentTool => ({
    ...tool,
    handler: async (input, context) => {
      const output = await tool.handler(input, context);
      outputs.set(context.toolUseId, output);
      return output;
    },
  }));
  let partialText = '';
  const cited = new Set<string>();
  const emitCitations = (message: Message) => {
    for (const block of message.content) {
      if (block.type !== 'text' || !block.citations) continue;
      for (const citation of block.citations) {
        const event = citationEvent(citation);
        const key = `${event.source}\u0000${event.quote}`;
        if (cited.has(key)) continue;
        cited.add(key);
        emit({ type: 'citation', ...event });
      }
    }
  };

  let retries = 0;
  let admit: () => void = () => {};
  const admitted = new Promise<true>((resolve) => (admit = () => resolve(true)));
  const caller = budgetedCaller({
    client: services.client,
    searchTools: services.searchTools,
    onSpend: (spend) => spends.push(spend),
    // The client holds each call's worst case before sending it; the first hold admits the turn.
    onReserved: () => admit(),
    // The client's retries are invisible to the answer; the person waiting is told about them.
    onRetry: (retry) =>
      emit({
        type: 'retry',
        attempt: ++retries,
        delayMs: Math.round(retry.delayMs),
        reason: retryReason(retry.reason),
      }),
  });
  // The model call starts now; the assistant's placeholder row is written while the request is
  // in flight (time to first token no longer waits for it), and no event of the answer reaches
  // the client before that row is stored, so a crash can only ever leave an `incomplete` turn.
  const callAbort = new AbortController();
  const run = streamAgent({
    caller,
    model: services.model,
    ...(prepared.request.system !== undefined ? { system: prepared.request.system } : {}),
    messages: prepared.request.messages,
    tools,
    maxTokens: services.maxTokens,
    maxIterations: services.maxIterations,
    ...thinkingOptions(services),
    signal: AbortSignal.any([signal, callAbort.signal]),
    principal: { userId: account.id, roles: [account.role] },
    logger: services.logger,
    tags,
  });
  // Nothing is stored until the budgets admit the first call; a refusal ends the turn here.
  const wentOut = await Promise.race([admitted, run.result.then(notSent, notSent)]);
  if (!wentOut) {
    const early = await run.result.then(notSent, (error: unknown) => error);
    if (isBudgetRefusal(early)) return refused(early, spends);
  }
  let userSeq: number;
  try {
    userSeq = await store.append(conversationId, ownerId, userMessage);
  } catch (error) {
    callAbort.abort('storage_failed');
    await run.result.catch(() => {});
    emit(errorEvent(error, signal));
    return { outcome: 'error', usage: totalUsage(spends), complete: false };
  }
  options.onAdmitted?.();
  let placeholder: number;
  try {
    placeholder = await store.append(
      conversationId,
      ownerId,
      { role: 'assistant', content: [] },
      'streaming',
    );
  } catch (error) {
    // Nothing was shown: stop the call (what it spent is still settled) and report the failure.
    callAbort.abort('storage_failed');
    await run.result.catch(() => {});
    emit(errorEvent(error, signal));
    return { outcome: 'error', usage: totalUsage(spends), complete: false };
  }

  try {
    for await (const event of run) {
      switch (event.type) {
        case 'text-delta':
          partialText += event.text;
          emit({ type: 'text-delta', text: event.text });
          break;
        case 'thinking-start':
        case 'thinking-end':
          emit({ type: event.type });
          break;
        case 'thinking-delta':
          emit({ type: 'thinking-delta', thinking: event.thinking });
          break;
        case 'tool-call-start':
          emit({ type: 'tool-start', name: event.name, input: event.input });
          break;
        case 'tool-call-end':
          emit({
            type: 'tool-end',
            name: event.name,
            isError: event.isError,
            summary: toolSummary(event.name, event.status, outputs.get(event.toolUseId)),
          });
          break;
        case 'step-finish':
          emitCitations(event.message);
          // A new step's text starts a new paragraph in the partial answer kept on a stop.
          if (partialText && !partialText.endsWith('\n')) partialText += '\n\n';
          break;
        default:
          break;
      }
    }
    const result = await run.result;
    await services.flushLedger();
    const usage = totalUsage(spends);
    if (result.outcome === 'aborted') {
      await storeIncomplete(store, conversationId, ownerId, placeholder, partialText);
      // Stopped by the person: a reload shows the same notice as the live `done` event.
      if (signal.reason === abortReasons.stopped) {
        await store.setOutcome(conversationId, ownerId, placeholder, 'stopped');
      }
      emit({ type: 'usage', ...usage });
      if (signal.reason instanceof TurnDeadlineError || signal.reason === abortReasons.shutdown) {
        emit(errorEvent(signal.reason, signal));
      } else {
        emit({
          type: 'done',
          outcome: 'stopped',
          stopped: true,
          notice: describeOutcome('stopped'),
        });
      }
      return { outcome: 'aborted', usage, complete: false };
    }
    const [first, ...rest] = result.newMessages;
    // The turn's last assistant message carries its outcome, so a reload still shows the notice.
    let lastAnswerSeq = first?.role === 'assistant' ? placeholder : undefined;
    const turnSeqs = [userSeq, placeholder];
    if (first) {
      await store.update(conversationId, ownerId, placeholder, first, 'complete');
      for (const message of rest) {
        const seq = await store.append(conversationId, ownerId, message, 'complete');
        turnSeqs.push(seq);
        if (message.role === 'assistant') lastAnswerSeq = seq;
      }
    }
    const outcome = turnOutcome(result);
    if (outcome !== 'completed' && lastAnswerSeq !== undefined) {
      await store.setOutcome(conversationId, ownerId, lastAnswerSeq, outcome);
    }
    // The API asks that a refused turn leave the context, or later turns are refused as well:
    // stored `failed`, the whole turn stays visible with its notice but is never sent again.
    if (outcome === 'refused') await store.setStatus(conversationId, ownerId, turnSeqs, 'failed');
    emit({ type: 'usage', ...usage });
    const notice = describeOutcome(outcome, { steps: result.iterations });
    emit({ type: 'done', outcome, stopped: false, ...(notice ? { notice } : {}) });
    return { outcome, usage, complete: outcome !== 'refused' };
  } catch (error) {
    await services.flushLedger().catch(() => {});
    const usage = totalUsage(spends);
    // A request the API refused (4xx) would be refused again on every later turn if its user
    // message stayed in the history: the whole turn is stored `failed` and never sent again.
    // Transient failures keep the user message; the broken answer is `incomplete` as before.
    const failure = describeTurnError(error);
    services.logger.warn(
      { err: error, sessionId: conversationId, code: failure.code, refused: failure.refused },
      'chat turn failed',
    );
    await (
      failure.refused && !signal.aborted
        ? storeFailed(store, conversationId, ownerId, userSeq, placeholder, failure.message)
        : storeIncomplete(store, conversationId, ownerId, placeholder, partialText)
    ).catch(() => {});
    if (usage.calls > 0) emit({ type: 'usage', ...usage });
    emit(errorEvent(error, signal));
    return { outcome: 'error', usage, complete: false };
  }
}

const notSent = () => false as const;

function isBudgetRefusal(error: unknown): error is BudgetExceededError | BudgetUnpricedModelError {
  return error instanceof BudgetExceededError || error instanceof BudgetUnpricedModelError;
}

function refused(
  error: BudgetExceededError | BudgetUnpricedModelError,
  spends: CallSpend[],
): ChatTurnResult {
  return { outcome: 'over_budget', usage: totalUsage(spends), complete: false, refusal: error };
}

/** Stores a refused turn as `failed`: the user message, and the answer row with the reason. */
async function storeFailed(
  store: ConversationStore,
  conversationId: string,
  ownerId: string,
  userSeq: number,
  answerSeq: number,
  reason: string,
): Promise<void> {
  await store.update(
    conversationId,
    ownerId,
    answerSeq,
    { role: 'assistant', content: [{ type: 'text', text: reason }] },
    'failed',
  );
  await store.setStatus(conversationId, ownerId, [userSeq], 'failed');
}

async function storeIncomplete(
  store: ConversationStore,
  conversationId: string,
  ownerId: string,
  seq: number,
  partialText: string,
): Promise<void> {
  const text = partialText.trim();
  await store.update(
    conversationId,
    ownerId,
    seq,
    { role: 'assistant', content: text ? [{ type: 'text', text }] : [] },
    'incomplete',
  );
}

function citationEvent(citation: unknown): { source: string; title: string; quote: string } {
  const value = citation as Record<string, unknown>;
  const title =
    (typeof value.title === 'string' && value.title) ||
    (typeof value.document_title === 'string' && value.document_title) ||
    'source';
  const source = typeof value.source === 'string' && value.source ? value.source : title;
  return { source, title, quote: typeof value.cited_text === 'string' ? value.cited_text : '' };
}

/** The reason a `retry` event names. */
function retryReason(kind: RetryNotice['reason']): string {
  if (kind === 'overloaded' || kind === 'rate_limited') return kind;
  if (kind === 'connection' || kind === 'timeout') return 'connection_error';
  return 'server_error';
}

/** Sums what every call of the turn spent. */
function totalUsage(spends: CallSpend[]): TurnUsage {
  let input = 0;
  let output = 0;
  let cacheRead = 0;
  let cacheWrite = 0;
  let costUsd = 0;
  let partial = false;
  for (const { usage, cost } of spends) {
    if (usage) {
      input += usage.input;
      output += usage.output;
      cacheRead += usage.cacheRead;
      cacheWrite += usage.cacheWrite5m + usage.cacheWrite1h;
      partial ||= usage.partial;
    }
    if (cost?.priced) {
      costUsd += cost.usd;
      partial ||= cost.partial;
    }
  }
  const inputSide = input + cacheRead + cacheWrite;
  return {
    input,
    output,
    cacheRead,
    cacheWrite,
    costUsd: Number(costUsd.toFixed(8)),
    cacheHitRatio: inputSide === 0 ? 0 : cacheRead / inputSide,
    partial,
    calls: spends.length,
  };
}

/**
 * The typed `error` event for a failure, in plain words with what to do next (turn-error.ts):
 * never upstream JSON, a stack or internals, which stay in the server log.
 */
function errorEvent(
  error: unknown,
  signal: AbortSignal,
): { type: 'error'; code: TurnErrorCode; message: string; retryAfterSeconds?: number } {
  // Past the turn's deadline, whatever error the stopped call raised: say that it ran too long.
  const deadline = signal.aborted && signal.reason instanceof TurnDeadlineError;
  const { code, message, retryAfterSeconds } =
    signal.aborted && signal.reason === abortReasons.shutdown
      ? turnErrorFor('server_shutdown')
      : describeTurnError(deadline ? signal.reason : error);
  return {
    type: 'error',
    code,
    message,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

/**
 * The configured thinking budget in the form the model accepts: a manual budget where it takes
 * one, adaptive thinking with an effort level on the 5.x models (which refuse manual budgets).
 */
function thinkingOptions(services: ChatTurnServices) {
  if (!services.thinkingBudgetTokens) return {};
  const { thinking, effort } = thinkingForModel({
    model: services.model,
    budgetTokens: services.thinkingBudgetTokens,
  });
  return {
    ...(thinking ? { thinking } : {}),
    ...(effort ? { request: { output_config: { effort } } } : {}),
  };
}
