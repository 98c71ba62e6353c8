import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findFolderCycles, readFolderGraph } from './folder-graph.ts';

const packagesDirectory = fileURLToPath(new URL('../packages/', import.meta.url));

/** Package → its folder cycles, for the packages that have any. Core's own test is stricter. */
function cyclesByPackage(): Record<string, string[][]> {
  const found: Record<string, string[][]> = {};
  for (const name of readdirSync(packagesDirectory).sort()) {
    const cycles = findFolderCycles(readFolderGraph(`${packagesDirectory}${name}/src`));
    if (cycles.length > 0) found[name] = cycles;
  }
  return found;
}

describe('folder cycles in every package (npm run graph -- <package> shows one)', () => {
  it('are only the known ones: a new cycle fails here, and so does removing one (update the list)', () => {
    expect(cyclesByPackage()).toEqual({
      emulator: [
        ['faults', 'http'],
        ['caching', 'messages', 'responder', 'surface'],
      ],
      server: [['app', 'chat', 'http']],
    });
  });
});
