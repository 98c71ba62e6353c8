import { describe, expect, it } from 'vitest';
import { absolutePath, pathsIn, workingDirectoryIn } from './file-paths.ts';

describe('file paths in text', () => {
  it('finds absolute, relative and bare file names, but not versions or abbreviations', () => {
    expect(pathsIn('What does the file notes.txt in this folder say?')).toEqual(['notes.txt']);
    expect(pathsIn('Compare /etc/hosts with src/app.ts, e.g. line 3.5 of ~/todo.md.')).toEqual([
      '/etc/hosts',
      'src/app.ts',
      '~/todo.md',
    ]);
    expect(pathsIn('Email ada@example.com or see https://example.com/a.html')).toEqual([]);
  });

  it("reads the working directory Claude Code's environment note names", () => {
    const notes = '# Environment\n - Primary working directory: /tmp/work\n - Platform: linux';
    expect(workingDirectoryIn(notes)).toBe('/tmp/work');
    expect(workingDirectoryIn('no directory here')).toBeUndefined();
  });

  it('makes a relative path absolute against the working directory', () => {
    expect(absolutePath('notes.txt', '/tmp/work/')).toBe('/tmp/work/notes.txt');
    expect(absolutePath('../a/./b.md', '/tmp/work')).toBe('/tmp/a/b.md');
    expect(absolutePath('/etc/hosts', '/tmp/work')).toBe('/etc/hosts');
  });
});
