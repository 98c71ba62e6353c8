/**
 * File paths named in text ("/etc/hosts", "~/notes.md", "src/app.ts", "notes.txt"), and their
 * absolute form against a working directory, for tools such as Claude Code's `Read` whose
 * `file_path` must be absolute.
 */

const pathToken =
  /(?:^|[\s"'`(<[])((?:~|\.{1,2})?\/?(?:[\w.@+-]+\/)*[\w@+-][\w.@+-]*\.[A-Za-z0-9]{1,10}|(?:~|\.{1,2})?\/(?:[\w.@+-]+\/?)+)(?=$|[\s"'`)>\],;:!?]|\.(?:\s|$))/g;

/** The paths in the text, in order, without duplicates. A bare "e.g." or "3.5" is not a path. */
export function pathsIn(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(pathToken)) {
    const path = match[1]!;
    if (/^\d+(?:\.\d+)+$/.test(path) || /^(?:e\.g|i\.e|etc)\.?$/i.test(path)) continue;
    if (/^https?:/.test(path) || /@[\w-]+\.\w+$/.test(path)) continue;
    if (!found.includes(path)) found.push(path);
  }
  return found;
}

/** The working directory the request's context names ("Primary working directory: /x"). */
export function workingDirectoryIn(notes: string): string | undefined {
  const match = notes.match(
    /\b(?:working directory|current directory|cwd|working dir)\s*(?:is)?\s*[:=]?\s*(\/[^\s"'`]*)/i,
  );
  return match?.[1]?.replace(/[.,;]$/, '');
}

/** A path made absolute against a working directory ("notes.txt" -> "/work/notes.txt"). */
export function absolutePath(path: string, workingDirectory: string): string {
  if (path.startsWith('/') || path.startsWith('~')) return path;
  const parts = workingDirectory.replace(/\/+$/, '').split('/');
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 1) parts.pop();
    } else parts.push(part);
  }
  return parts.join('/') || '/';
}
