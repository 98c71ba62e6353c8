/**
 * The folder graph of a package's `src/`: which top-level folder imports which, from the
 * import statements of its non-test files (type-only imports count: a shared type is a
 * dependency too). `npm run graph` prints core's graph and exits 1 on a cycle;
 * `packages/core/src/folder-graph.test.ts` runs the same check under `npm test`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Folder → the folders its files import (never itself). Files directly in `src/` are `.`. */
export type FolderGraph = Map<string, Set<string>>;

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && !name.startsWith('__')) files.push(...sourceFiles(path));
    } else if (/\.tsx?$/.test(name) && !/\.test(-d)?\.tsx?$/.test(name)) {
      files.push(path);
    }
  }
  return files;
}

function folderOf(sourceRoot: string, file: string): string {
  const parts = relative(sourceRoot, file).split(sep);
  return parts.length > 1 ? parts[0]! : '.';
}

/** Reads the import graph between the top-level folders of `sourceRoot`. */
export function readFolderGraph(sourceRoot: string): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const file of sourceFiles(sourceRoot)) {
    const from = folderOf(sourceRoot, file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName);
      if (!target.startsWith(sourceRoot + sep)) continue;
      const to = folderOf(sourceRoot, target);
      if (to !== from && to !== '.') edges.add(to);
    }
  }
  return graph;
}

/** Every strongly connected group of more than one folder (each one is a cycle), sorted. */
export function findFolderCycles(graph: FolderGraph): string[][] {
  // Tarjan's algorithm.
  let index = 0;
  const indices = new Map<string, number>();
  const lowLinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    lowLinks.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        lowLinks.set(node, Math.min(lowLinks.get(node)!, lowLinks.get(next)!));
      } else if (onStack.has(next)) {
        lowLinks.set(node, Math.min(lowLinks.get(node)!, indices.get(next)!));
      }
    }
    if (lowLinks.get(node) === indices.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) cycles.push(group.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) visit(node);
  return cycles;
}

/** Folders in dependency order (leaves first), one line each with what they import. */
export function describeFolderGraph(graph: FolderGraph): string {
  const layer = new Map<string, number>();
  const depth = (node: string, seen: Set<string>): number => {
    if (layer.has(node)) return layer.get(node)!;
    if (seen.has(node)) return 0;
    seen.add(node);
    const edges = [...(graph.get(node) ?? [])];
    const value = edges.length === 0 ? 0 : 1 + Math.max(...edges.map((next) => depth(next, seen)));
    layer.set(node, value);
    return value;
  };
  const nodes = [...graph.keys()].filter((node) => node !== '.');
  for (const node of nodes) depth(node, new Set());
  return nodes
    .sort((a, b) => layer.get(a)! - layer.get(b)! || a.localeCompare(b))
    .map((node) => {
      const edges = [...graph.get(node)!].sort();
      return `${String(layer.get(node)).padStart(2)}  ${node.padEnd(12)} → ${edges.length ? edges.join(', ') : '(leaf)'}`;
    })
    .join('\n');
}

const invokedDirectly =
  process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const packageName = process.argv[2] ?? 'core';
  const sourceRoot = resolve(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    'packages',
    packageName,
    'src',
  );
  const graph = readFolderGraph(sourceRoot);
  console.log(
    `Folder graph of packages/${packageName}/src (layer, folder → folders it imports):\n`,
  );
  console.log(describeFolderGraph(graph));
  const cycles = findFolderCycles(graph);
  if (cycles.length > 0) {
    for (const cycle of cycles) console.error(`\ncycle: ${cycle.join(', ')}`);
    process.exit(1);
  }
  console.log('\nno cycle');
}
