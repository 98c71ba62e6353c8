import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { formatOf } from '../extract/extract-document.ts';

/** Folders never descended into: dependencies and version-control internals. */
const skippedFolders = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__']);

/**
 * Every file under `root` that the knowledge base can read, sorted for stable progress output.
 * Hidden entries (dot names) and unsupported extensions are skipped.
 */
export async function walkFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (folder: string) => {
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!skippedFolders.has(entry.name)) await visit(path);
      } else if (entry.isFile() && formatOf(path) !== null) {
        found.push(path);
      }
    }
  };
  await visit(root);
  return found.sort();
}
