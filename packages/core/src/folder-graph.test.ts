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

  it('has no cycle except the one still being taken apart (agent, context, structured)', () => {
    // context/ holds both request assembly (used by the agent loop) and the context manager
    // (built on generateObject, which is built on the agent loop). Remove this exception when
    // the two are apart: the test then requires no cycle at all.
    expect(findFolderCycles(readFolderGraph(sourceRoot))).toEqual([['agent', 'context', 'structured']]);
  });
});
