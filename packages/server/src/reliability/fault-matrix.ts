import { faultTypes, streamOnlyFaults, type FaultRule, type FaultType } from '@keel/emulator';

/**
 * One cell of the fault matrix: which fault strikes which model call of a chat turn, and how long.
 * Answer calls are streamed; the not-streamed cells strike the context summary call that a turn
 * makes first when older turns leave the window (the assistant's only call without streaming).
 */
export interface FaultCell {
  /** The emulator's fault. */
  fault: FaultType;
  /** Whether the struck call is a streamed one. */
  streamed: boolean;
  /** Whether the assistant has tools (a turn then makes a second call after the tool ran). */
  tools: boolean;
  /** Which model call of the turn the fault strikes. */
  call: 'first' | 'later';
  /** `once`: one request fails (a retry may recover); `until-cleared`: every attempt fails. */
  duration: 'once' | 'until-cleared';
}

/** A cell and, when it cannot happen in the assistant, why it is not run. */
export interface PlannedCell extends FaultCell {
  /** A readable name for the test. */
  name: string;
  /** Set when the cell does not exist in the assistant; the reason is reported with the count. */
  notApplicable?: string;
}

const notApplicable = (cell: FaultCell): string | undefined => {
  if (!cell.tools && cell.call === 'later') {
    return 'without tools a turn makes exactly one answer call';
  }
  if (!cell.streamed && cell.call === 'later') {
    // Answers are always streamed (chat-turn.ts drives streamAgent); the one call made without
    // streaming is the context summary, which comes before the answer.
    return 'the only call made without streaming (the context summary) is the first of its turn';
  }
  if (!cell.streamed && streamOnlyFaults.has(cell.fault)) {
    return 'the emulator injects this fault only into streams';
  }
  return undefined;
};

/**
 * Every emulator fault × streamed / not streamed × with / without tools × first / later call of a
 * turn × once / until cleared. Built from the emulator's own list, so a new fault joins the matrix
 * (and must pass it) without anyone editing this file.
 */
export function planFaultMatrix(faults: readonly FaultType[] = faultTypes): PlannedCell[] {
  const cells: PlannedCell[] = [];
  for (const fault of faults) {
    for (const streamed of [true, false]) {
      for (const tools of [true, false]) {
        for (const call of ['first', 'later'] as const) {
          for (const duration of ['once', 'until-cleared'] as const) {
            const cell: FaultCell = { fault, streamed, tools, call, duration };
            const reason = notApplicable(cell);
            cells.push({
              ...cell,
              name: `${fault} on the ${call} call, ${streamed ? 'streamed' : 'not streamed'}, ${tools ? 'with' : 'without'} tools, ${duration}`,
              ...(reason ? { notApplicable: reason } : {}),
            });
          }
        }
      }
    }
  }
  return cells;
}

/**
 * The emulator rule that makes a cell happen. Stream faults strike after a few tokens (so some
 * output has reached the user), a slow first token waits long enough to be noticed but far less
 * than any timeout.
 */
export function faultRuleFor(cell: FaultCell): FaultRule {
  return {
    type: cell.fault,
    path: '/v1/messages',
    ...(cell.call === 'later' ? { skip: 1 } : {}),
    ...(cell.duration === 'once' ? { count: 1 } : {}),
    afterTokens: 3,
    delayMs: 150,
    retryAfterSeconds: 1,
  };
}
