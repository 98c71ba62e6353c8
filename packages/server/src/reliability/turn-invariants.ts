import type { EmulatorAdmin } from '@keel/emulator';
import { type RequestLogEntry } from '@keel/emulator';
import { expect } from 'vitest';
import type { ChatEvent } from '../chat/chat-events.ts';
import { readSseEvents } from '@keel/protocol';
import type { TestAssistant } from '../test-support/test-assistant.ts';

/** The SSE event names a chat turn may send (chat-events.ts). */
const knownEvents = new Set([
  'status',
  'text-delta',
  'thinking-start',
  'thinking-delta',
  'thinking-end',
  'tool-start',
  'tool-end',
  'citation',
  'retry',
  'usage',
  'done',
  'error',
]);

/** Upstream error bodies and types that must never reach the user as they are. */
const rawUpstream =
  /\{\s*"type"\s*:|"error"\s*:\s*\{|invalid_request_error|overloaded_error|api_error|rate_limit_error|request_id/;

/** What one turn sent back over HTTP. */
export interface TurnTranscript {
  /** HTTP status of the messages route. */
  status: number;
  /** Every SSE event, in order (empty when the route refused with a JSON error). */
  events: ChatEvent[];
  /** The JSON error body when the route refused before streaming. */
  refusal?: { error: { code: string; message: string } };
}

/** A turn that has not ended after this long has hung (every cell's turn ends within seconds). */
const hangMs = 30_000;

/**
 * Sends one message over the HTTP API and reads the raw SSE to its end, failing on a hang, on
 * an unknown or malformed event, and on a 5xx from the route.
 */
export async function sendTurn(
  assistant: TestAssistant,
  token: string,
  sessionId: string,
  text: string,
): Promise<TurnTranscript> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the turn did not end within ${hangMs} ms`)), hangMs);
  });
  const turn = async (): Promise<TurnTranscript> => {
    const response = await assistant.app.request(
      `/api/sessions/${encodeURIComponent(sessionId)}/messages`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ text }),
      },
    );
    expect(response.status, 'the messages route answered a 5xx').toBeLessThan(500);
    if (!response.ok) {
      const refusal = (await response.json()) as TurnTranscript['refusal'];
      expect(refusal?.error.code).toMatch(/^[a-z_]+$/);
      return { status: response.status, events: [], ...(refusal ? { refusal } : {}) };
    }
    const events: ChatEvent[] = [];
    for await (const event of readSseEvents(response.body!)) {
      expect(knownEvents.has(event.event), `unknown SSE event ${event.event}`).toBe(true);
      const data = JSON.parse(event.data) as object;
      events.push({ type: event.event, ...data } as ChatEvent);
    }
    return { status: response.status, events };
  };
  try {
    return await Promise.race([turn(), hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** The stream ended with exactly one typed `done` or `error`, last, with no upstream JSON in it. */
export function expectTypedEnding(transcript: TurnTranscript): ChatEvent {
  const { events } = transcript;
  expect(events.length, 'the stream sent no events').toBeGreaterThan(0);
  const endings = events.filter((event) => event.type === 'done' || event.type === 'error');
  expect(
    endings.length,
    `exactly one done or error event: ${JSON.stringify(events.filter((event) => event.type !== 'text-delta'))}`,
  ).toBe(1);
  const last = events.at(-1)!;
  expect(endings[0]).toBe(last);
  if (last.type === 'error') {
    expect(last.code).toMatch(/^[a-z_]+$/);
    expect(last.message.length).toBeGreaterThan(0);
    expect(last.message, 'raw upstream JSON reached the user').not.toMatch(rawUpstream);
  }
  return last;
}

/** The emulator's log of model calls (`POST /v1/messages`) made since it was last cleared. */
export async function modelCalls(admin: EmulatorAdmin): Promise<RequestLogEntry[]> {
  return (await admin.requests()).filter(
    (entry) => entry.method === 'POST' && entry.path === '/v1/messages',
  );
}

/**
 * Spend: every call the emulator billed is in the ledger under its request id with the same
 * input-side tokens (uncached, cache read, cache write) and the same output tokens — or, for a
 * broken stream the client could only estimate, at least as many, flagged partial. Nothing in the
 * ledger costs money without a billed call behind it. The session's budget counter holds exactly
 * the ledger's spend, and no hold is left behind.
 */
export async function expectSpendAccounted(options: {
  assistant: TestAssistant;
  /** The emulator's calls, all of this session; undefined to check only holds and counters. */
  calls: RequestLogEntry[] | undefined;
  user: string;
  sessionId: string;
}): Promise<{ billedCalls: number; picoUsd: bigint }> {
  const { assistant, calls, user, sessionId } = options;
  const { runtime } = assistant;
  await runtime.services.flushLedger();
  const ledger = await runtime.ledger.list({ session: sessionId });
  const byRequest = new Map(ledger.map((entry) => [entry.requestId, entry]));
  const billed = (calls ?? []).filter((call) => call.usage !== null);
  for (const call of billed) {
    const entry = byRequest.get(call.requestId);
    expect(entry, `billed call ${call.requestId} missing from the ledger`).toBeDefined();
    const usage = call.usage!;
    const tokens = entry!.tokens;
    expect(
      [tokens.input, tokens.cacheRead, tokens.cacheWrite5m + tokens.cacheWrite1h],
      `input-side tokens of ${call.requestId}`,
    ).toEqual([
      usage.input_tokens,
      usage.cache_read_input_tokens ?? 0,
      usage.cache_creation_input_tokens ?? 0,
    ]);
    if (call.completed && !entry!.partial) {
      expect(tokens.output, `output tokens of ${call.requestId}`).toBe(usage.output_tokens);
    } else {
      expect(entry!.partial, `${call.requestId} was cut short but not flagged partial`).toBe(true);
      expect(
        tokens.output,
        `output tokens of the broken stream ${call.requestId}: the ledger has fewer than were billed`,
      ).toBeGreaterThanOrEqual(usage.output_tokens);
    }
  }
  const billedIds = new Set<string | null>(billed.map((call) => call.requestId));
  for (const entry of calls ? ledger : []) {
    if ((entry.costPicoUsd ?? 0n) === 0n) continue;
    expect(billedIds.has(entry.requestId), `ledger charge ${entry.id} with no billed call`).toBe(
      true,
    );
  }
  const picoUsd = ledger.reduce((sum, entry) => sum + (entry.costPicoUsd ?? 0n), 0n);
  if (runtime.budgets) {
    const standing = await runtime.budgets.standing({
      user,
      session: sessionId,
      feature: runtime.config.feature,
    });
    for (const limit of standing) {
      expect(limit.reserved.picoUsd, `a hold on ${limit.limit.id} was not released`).toBe(0n);
      if (limit.limit.scope === 'session') {
        expect(limit.spent.picoUsd, 'the session budget disagrees with the ledger').toBe(picoUsd);
      }
    }
  }
  return { billedCalls: billed.length, picoUsd };
}
