import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSseEvents } from '@keel/protocol';
import type { ChatEvent } from '../chat/chat-events.ts';
import { openTestAssistant, type TestAssistant } from '../test-support/test-assistant.ts';
import {
  randomMessages,
  randomRequests,
  type ApiRoute,
  type Caller,
  type KnownIds,
  type RandomRequest,
} from './random-requests.ts';
import { expectSpendAccounted, expectTypedEnding, sendTurn } from './turn-invariants.ts';

/** Random requests per run: about 20 s on a 2-core machine, most of it real chat turns. */
const numRuns = 2_000;
/** Random message bodies that pass the front door, most of them real chat turns. */
const messageRuns = 150;

let assistant: TestAssistant;
let routes: ApiRoute[];
let ids: KnownIds;
let controlSession: string;
/** The control turns use their own login, which the fuzzer never sees (it may log out its own). */
let controlToken: string;
const accountIds: Record<'alice' | 'bob' | 'admin', string> = { alice: '', bob: '', admin: '' };
const tokens: Record<'alice' | 'bob' | 'admin', string> = { alice: '', bob: '', admin: '' };
let tried = 0;
/** Random requests that became a chat turn (an SSE answer). */
let turns = 0;
const statuses = new Map<number, number>();

const issue = async (who: keyof typeof tokens) => {
  tokens[who] = (await assistant.runtime.accounts.issueToken(accountIds[who], 'api', 'fuzz')).token;
};

beforeAll(async () => {
  assistant = await openTestAssistant({
    // The per-user request limit and the demo's $0.50 per session would turn most of the run
    // into 429s and 402s; budgets stay on (with room) so every turn still takes and frees holds.
    configure: (config) => ({
      ...config,
      rateLimits: { requestsPerMinute: 1_000_000 },
      budgets: [
        { scope: 'user', period: 'day', maxUsd: 100 },
        { scope: 'session', period: 'total', maxUsd: 50 },
      ],
    }),
  });
  const logins = {
    alice: ['alice@example.com', 'alice-demo'],
    bob: ['bob@example.com', 'bob-demo'],
    admin: ['admin@example.com', 'admin-demo'],
  } as const;
  for (const who of ['alice', 'bob', 'admin'] as const) {
    const account = await assistant.runtime.accounts.findByEmail(logins[who][0]);
    accountIds[who] = account!.id;
    await issue(who);
  }
  const alice = await assistant.login(...logins.alice);
  controlToken = alice.token!;
  controlSession = (await alice.createSession('Control')).id;
  ids = {
    aliceSession: (await alice.createSession('Fuzzed')).id,
    bobSession: (await assistant.client(tokens.bob).createSession('Bob’s')).id,
  };
  // Every route Hono knows, so a route added later is fuzzed without an edit here; the
  // middleware entries (`ALL`) and the static UI's catch-all are not API routes.
  const seen = new Set<string>();
  routes = assistant.app.routes
    .filter((route) => route.method !== 'ALL' && route.path !== '*')
    .filter((route) => {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(({ method, path }) => ({ method, path }));
});

afterAll(async () => {
  console.info(
    `[reliability] API fuzzing: ${tried} random requests over ${routes?.length} routes (${turns} became chat turns), statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  );
  await assistant?.close();
});

function headersFor(request: RandomRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  const auth: Record<Caller, Record<string, string>> = {
    nobody: {},
    alice: { authorization: `Bearer ${tokens.alice}` },
    bob: { authorization: `Bearer ${tokens.bob}` },
    admin: { authorization: `Bearer ${tokens.admin}` },
    'forged-bearer': { authorization: 'Bearer keel_api_forged0000000000000000000000000000' },
    'forged-cookie': { cookie: 'keel_session=keel_ses_forged000000000000000000000000000' },
    'bad-header': { authorization: 'Bearer a b' },
  };
  Object.assign(headers, auth[request.caller]);
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  if (request.origin !== undefined) headers.origin = request.origin;
  return headers;
}

function pathFor(request: RandomRequest): string {
  const segment =
    request.id.kind === 'alice'
      ? ids.aliceSession
      : request.id.kind === 'bob'
        ? ids.bobSession
        : // Pre-encoded garbage goes in as it is; anything else is encoded as a client would.
          request.id.value.startsWith('%')
          ? request.id.value
          : encodeURIComponent(request.id.value);
  const path = request.route.path.replace(/:\w+/g, () => segment || 'x');
  return `${path}${request.route.method === 'GET' ? request.query : ''}`;
}

/** Sends one random request and checks what came back. */
async function probe(request: RandomRequest): Promise<void> {
  const path = pathFor(request);
  const withBody =
    request.body !== undefined && request.method !== 'GET' && request.method !== 'HEAD';
  const response = await assistant.app.request(path, {
    method: request.method,
    headers: headersFor(request),
    ...(withBody ? { body: request.body } : {}),
  });
  tried += 1;
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  const what = `${request.method} ${path.slice(0, 80)} as ${request.caller}: ${response.status}`;
  expect(response.status, `${what} is a 5xx`).toBeLessThan(500);
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream')) {
    turns += 1;
    const events: ChatEvent[] = [];
    for await (const event of readSseEvents(response.body!)) {
      events.push({ type: event.event, ...(JSON.parse(event.data) as object) } as ChatEvent);
    }
    expectTypedEnding({ status: response.status, events });
  } else if (response.status >= 400 && path.startsWith('/api') && request.method !== 'HEAD') {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    expect(body.error?.code, `${what} without a typed error`).toMatch(/^[a-z_]+$/);
    expect(typeof body.error?.message, `${what} without a message`).toBe('string');
  } else {
    await response.arrayBuffer();
  }
  // A fuzzed owner's delete of its session: give the fuzzer a new one to keep working on.
  if (request.method === 'DELETE' && response.status === 200) {
    if (request.id.kind === 'alice' && request.caller === 'alice') {
      ids.aliceSession = (await assistant.client(tokens.alice).createSession('Fuzzed')).id;
    }
    if (request.id.kind === 'bob' && request.caller === 'bob') {
      ids.bobSession = (await assistant.client(tokens.bob).createSession('Bob’s')).id;
    }
  }
  // A fuzzed logout revokes the token it carried: issue a fresh one so the run goes on.
  if (request.route.path === '/api/auth/logout' && response.status === 200) {
    if (request.caller === 'alice' || request.caller === 'bob' || request.caller === 'admin') {
      await issue(request.caller);
    }
  }
}

describe('randomized API inputs', () => {
  it('lists the routes it fuzzes from the app itself', () => {
    const names = routes.map((route) => `${route.method} ${route.path}`);
    for (const expected of [
      'POST /api/auth/login',
      'POST /api/sessions/:id/messages',
      'POST /api/sessions/:id/stop',
      'DELETE /api/sessions/:id',
      'GET /api/usage',
      'GET /metrics',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('answers every random request with a non-5xx, typed errors, and typed stream endings', async () => {
    await fc.assert(fc.asyncProperty(randomRequests(routes), probe), { numRuns });
    expect(tried).toBeGreaterThanOrEqual(numRuns);
  }, 180_000);

  it('answers random message bodies on a real session with typed turns or typed refusals', async () => {
    const before = turns;
    const route = routes.find(
      (candidate) => candidate.method === 'POST' && candidate.path.endsWith('/messages'),
    )!;
    await fc.assert(fc.asyncProperty(randomMessages(route), probe), { numRuns: messageRuns });
    // Many were real turns (about 60%): the property reached the chat code, not only the validators.
    expect(turns - before).toBeGreaterThan(messageRuns / 3);
  }, 180_000);

  it('leaves no session broken: the control, the fuzzed and bob’s sessions all still answer', async () => {
    const control = await sendTurn(assistant, controlToken, controlSession, 'Hello, still there?');
    expect(expectTypedEnding(control)).toMatchObject({ type: 'done' });
    // Every session left (the fuzzer may have deleted and replaced some) must answer.
    const sessions: Array<[string, string]> = [];
    for (const token of [controlToken, tokens.bob]) {
      const list = await assistant.client(token).listSessions();
      for (const session of list.slice(0, 8)) sessions.push([token, session.id]);
    }
    let broken = 0;
    for (const [token, sessionId] of sessions) {
      const turn = await sendTurn(assistant, token, sessionId, 'Thanks, hello again.');
      const ending = turn.events.at(-1);
      if (ending?.type !== 'done') {
        broken += 1;
        console.error(`session ${sessionId} is broken:`, turn.refusal ?? ending);
      }
    }
    console.info(
      `[reliability] API fuzzing: ${sessions.length} sessions checked, ${broken} broken`,
    );
    expect(broken).toBe(0);
    // Whatever the fuzzer did, no budget hold was left behind and the ledger matches the counters.
    await expectSpendAccounted({
      assistant,
      // The emulator's log mixes every session's calls; the fault matrix matches them one by one.
      calls: undefined,
      user: accountIds.alice,
      sessionId: controlSession,
    });
    expect((await assistant.app.request('/healthz')).status).toBe(200);
  }, 60_000);
});
