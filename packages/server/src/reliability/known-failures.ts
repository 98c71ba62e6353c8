import type { PlannedCell } from './fault-matrix.ts';

/**
 * Cells that fail on the current tree for a reason being fixed elsewhere. Each runs as
 * `it.fails`, so the suite stays green while the failure lasts and turns red the day it is
 * fixed (then delete the entry). Every entry names what remains.
 */
const knownFailures: Array<{ matches: (cell: PlannedCell) => boolean; reason: string }> = [
  {
    matches: (cell) =>
      cell.tools &&
      cell.call === 'first' &&
      (cell.fault === 'stream_error' || cell.fault === 'stream_cut'),
    reason:
      'a stream broken after a hidden (display omitted) thinking block: the emulator bills its ' +
      'tokens, the ledger records only the visible output (1 token instead of 17): the partial-' +
      'usage estimate of core’s client undercounts (see /tmp/s5/notes.md, W6 found 14:05)',
  },
];

/** Why a cell is expected to fail today, or undefined. */
export function knownFailure(cell: PlannedCell): string | undefined {
  return knownFailures.find((entry) => entry.matches(cell))?.reason;
}
