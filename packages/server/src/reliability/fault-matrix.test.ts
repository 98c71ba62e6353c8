import { faultTypes, streamOnlyFaults, type FaultType } from '@keel/emulator';
import { describe, expect, it } from 'vitest';
import { planFaultMatrix } from './fault-matrix.ts';

describe('planFaultMatrix', () => {
  it('crosses every emulator fault with stream, tools, call and duration', () => {
    const cells = planFaultMatrix();
    expect(cells).toHaveLength(faultTypes.length * 16);
    expect(new Set(cells.map((cell) => cell.fault))).toEqual(new Set(faultTypes));
    const runnable = cells.filter((cell) => !cell.notApplicable);
    // Streamed: with tools both calls, without tools the one call; not streamed: the summary call
    // (first), for faults that exist outside streams; each once and until cleared.
    const outsideStreams = faultTypes.filter((fault) => !streamOnlyFaults.has(fault)).length;
    expect(runnable).toHaveLength(faultTypes.length * 6 + outsideStreams * 4);
    expect(new Set(cells.map((cell) => cell.name)).size).toBe(cells.length);
  });

  it('takes a fault the emulator learns without any edit here', () => {
    const newFault = 'brand_new_fault' as FaultType;
    const cells = planFaultMatrix([...faultTypes, newFault]);
    expect(cells.filter((cell) => cell.fault === newFault && !cell.notApplicable)).toHaveLength(10);
  });
});
