import { afterAll, describe, expect, it } from 'vitest';
import { runFaultCell, type CellOutcome } from './fault-cell.ts';
import { planFaultMatrix } from './fault-matrix.ts';

/**
 * Declares the fault matrix's cells for one tools setting. Each setting has its own test file, so
 * the two halves run in parallel workers; within a file cells run a few at a time (each on its
 * own assistant): most of a cell is retry backoff.
 */
export function describeFaultMatrix(tools: boolean): void {
  const label = tools ? 'with tools' : 'without tools';
  const cells = planFaultMatrix().filter((cell) => cell.tools === tools);
  const outcomes = new Map<string, CellOutcome>();

  afterAll(() => {
    const skipped = cells.filter((cell) => cell.notApplicable).length;
    console.info(
      `[reliability] fault matrix ${label}: ${outcomes.size} cells survived, ${skipped} not applicable`,
    );
    for (const [name, outcome] of outcomes) console.info(`  ${name}: ${outcome.ending}`);
  });

  describe.concurrent(`fault matrix, ${label}`, () => {
    for (const cell of cells) {
      const test = cell.notApplicable ? it.skip : it;
      test(
        cell.name,
        async () => {
          const outcome = await runFaultCell(cell);
          expect(outcome.billedCalls).toBeGreaterThan(0);
          outcomes.set(cell.name, outcome);
        },
        60_000,
      );
    }
  });
}
