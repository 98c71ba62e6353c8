import { EmulatorAdmin } from '@keel/emulator';
import { expect } from 'vitest';
import type { ChatEvent } from '../chat/chat-events.ts';
import { openTestAssistant } from '../test-support/test-assistant.ts';
import { faultRuleFor, type FaultCell } from './fault-matrix.ts';
import {
  expectSpendAccounted,
  expectTypedEnding,
  modelCalls,
  sendTurn,
} from './turn-invariants.ts';

/** With tools the question makes the model look the order up, so the turn makes two calls. */
const questionWithTools = 'What is the status of order ORD-10000001?';
const questionWithoutTools = 'Hello there, can you help me with a kettle?';
/** The demo login's account id, which budgets and the ledger are tagged with. */
const user = 'cust_alice';

/** What a cell ended with, for the matrix's summary. */
export interface CellOutcome {
  /** `done:<outcome>` or `error:<code>`. */
  ending: string;
  /** Calls the emulator billed during the cell (both turns). */
  billedCalls: number;
}

/**
 * Runs one cell on a fresh assistant (its own SQLite file, emulator and circuit breakers, so no
 * cell leaves state for the next): a turn under the fault, the invariants, then the fault cleared
 * and a second turn in the same session, which must answer.
 */
export async function runFaultCell(cell: FaultCell): Promise<CellOutcome> {
  const assistant = await openTestAssistant({
    configure: (config) => ({
      ...config,
      tools: cell.tools ? config.tools : [],
      // Not streamed: keep one message, so every later turn first summarizes the trimmed ones.
      ...(cell.streamed
        ? {}
        : {
            context: {
              ...config.context,
              strategy: 'last-messages' as const,
              lastMessages: 1,
              summarize: true,
            },
          }),
    }),
  });
  try {
    const alice = await assistant.login('alice@example.com', 'alice-demo');
    const token = alice.token!;
    const admin = new EmulatorAdmin({ baseUrl: assistant.runtime.emulator!.url });
    const session = await alice.createSession();
    const question = cell.tools ? questionWithTools : questionWithoutTools;
    if (!cell.streamed) {
      // A first turn, so the faulted one has older turns to summarize.
      const first = await sendTurn(assistant, token, session.id, question);
      const firstEnding = expectTypedEnding(first);
      expect(firstEnding, JSON.stringify(firstEnding)).toMatchObject({ type: 'done' });
    }
    const before = (await modelCalls(admin)).length;
    await assistant.runtime.services.flushLedger();
    const earlier = new Set(
      (await assistant.runtime.ledger.list({ session: session.id })).map((entry) => entry.id),
    );
    await admin.setFaults([faultRuleFor(cell)]);
    const faulted = await sendTurn(assistant, token, session.id, question);
    await admin.setFaults([]);

    expect(faulted.status, JSON.stringify(faulted.refusal)).toBe(200);
    const ending = expectTypedEnding(faulted);
    const calls = await modelCalls(admin);
    const turnCalls = calls.slice(before);
    // The cell really happened: the fault struck the call it names, and only that one.
    const struck = turnCalls.filter((call) => call.fault !== null);
    expect(struck.length, 'the fault never fired').toBeGreaterThan(0);
    expect(new Set(struck.map((call) => call.fault))).toEqual(new Set([cell.fault]));
    // The emulator knows whether a request streams once it has read the body, so after the gate.
    // (A fault left on until cleared may strike the turn's later calls too; the first is the cell's.)
    if (struck[0]!.status === 200) {
      expect(struck[0]!.stream, 'the struck call streamed or not as the cell says').toBe(
        cell.streamed,
      );
    }
    expect(turnCalls[0]!.fault).toBe(cell.call === 'first' ? cell.fault : null);
    if (cell.tools && cell.call === 'later') {
      expect(
        faulted.events.some((event) => event.type === 'tool-end'),
        'the tool ran before the later call',
      ).toBe(true);
    }
    await expectSpendAccounted({ assistant, calls, user, sessionId: session.id });
    const turnPicoUsd = (await assistant.runtime.ledger.list({ session: session.id }))
      .filter((entry) => !earlier.has(entry.id))
      .reduce((sum, entry) => sum + (entry.costPicoUsd ?? 0n), 0n);
    // The turn is over: nothing of it is left marked as still streaming.
    const afterFault = await alice.getSession(session.id);
    expect(afterFault.messages.map((message) => message.status)).not.toContain('streaming');

    // The session is not broken: with the fault gone, the next turn answers.
    const next = await sendTurn(assistant, token, session.id, 'Thanks, hello again.');
    const nextEnding = expectTypedEnding(next);
    expect(
      nextEnding,
      `the turn after the fault did not answer: ${JSON.stringify(nextEnding)}`,
    ).toMatchObject({ type: 'done' });
    const spend = await expectSpendAccounted({
      assistant,
      calls: await modelCalls(admin),
      user,
      sessionId: session.id,
    });
    if (!cell.streamed) {
      // The setup does what the cell needs: a turn here starts with the summary, not streamed.
      const recovery = (await modelCalls(admin)).slice(calls.length);
      expect(recovery[0]).toMatchObject({ stream: false, fault: null, status: 200 });
    }
    const stored = await alice.getSession(session.id);
    expect(stored.messages.at(-1)).toMatchObject({ role: 'assistant', status: 'complete' });
    // What the user was told the faulted turn cost is what the ledger holds for it.
    const usage = faulted.events.find((event) => event.type === 'usage');
    const toldUsd = usage?.type === 'usage' ? usage.costUsd : 0;
    // The event rounds to 8 decimals.
    expect(Math.abs(toldUsd - Number(turnPicoUsd) / 1e12)).toBeLessThanOrEqual(1e-8);
    return { ending: describeEnding(ending), billedCalls: spend.billedCalls };
  } finally {
    await assistant.close();
  }
}

function describeEnding(event: ChatEvent): string {
  if (event.type === 'done') return `done:${event.outcome}`;
  if (event.type === 'error') return `error:${event.code}`;
  return event.type;
}
