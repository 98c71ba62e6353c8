import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findFolderCycles, readFolderGraph } from '../../../scripts/folder-graph.ts';

const sourceRoot = fileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '');

describe('the folder graph of core', () => {
  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(findFolderCycles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it('has the vocabulary in call/, a leaf below the client, ledger, logging and telemetry', () => {
    const graph = readFolderGraph(sourceRoot);
    expect([...graph.get('call')!].sort()).toEqual(['cost', 'resilience']);
    for (const folder of ['ledger', 'logging', 'telemetry', 'config', 'tools']) {
      expect(graph.get(folder)!.has('client'), `${folder} imports client/`).toBe(false);
    }
  });

  it('has no cycle', () => {
    // Request assembly (cache/) sits below the agent loop that uses it; the context manager,
    // built on generateObject, sits above structured/.
    expect(findFolderCycles(readFolderGraph(sourceRoot))).toEqual([]);
  });
});
