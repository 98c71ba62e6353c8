import { afterAll, describe, expect, it } from 'vitest';
import { runFaultCell, type CellOutcome } from './fault-cell.ts';
import { planFaultMatrix } from './fault-matrix.ts';
import { knownFailure } from './known-failures.ts';

// One file per tools setting, so the two halves of the matrix run in parallel workers; within a
// file cells run a few at a time (each on its own assistant): most of a cell is retry backoff.
const cells = planFaultMatrix().filter((cell) => cell.tools === false);
const outcomes = new Map<string, CellOutcome>();

afterAll(() => {
  const skipped = cells.filter((cell) => cell.notApplicable).length;
  const failing = cells.filter((cell) => !cell.notApplicable && knownFailure(cell)).length;
  console.info(
    `[reliability] fault matrix without tools: ${outcomes.size} cells survived, ${failing} passed all checks but a known failure, ${skipped} not applicable`,
  );
  for (const [name, outcome] of outcomes) console.info(`  ${name}: ${outcome.ending}`);
});

describe.concurrent('fault matrix, without tools', () => {
  for (const cell of cells) {
    const known = knownFailure(cell);
    const test = cell.notApplicable ? it.skip : it;
    test(
      known ? `${cell.name} (known failure: ${known.reason})` : cell.name,
      async () => {
        const outcome = await runFaultCell(cell);
        expect(outcome.billedCalls).toBeGreaterThan(0);
        // Every check passes, or only the known one fails (and still does).
        expect(outcome.violations).toEqual(known ? [known.check] : []);
        if (!known) outcomes.set(cell.name, outcome);
      },
      60_000,
    );
  }
});
