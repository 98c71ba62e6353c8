import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where `.ci/run` installs Claude Code (`npm ci --prefix .ci/tools`). It is not a root
 * devDependency: its native binary is ~400 MB (`@anthropic-ai/claude-code-linux-x64`
 * 2.1.332), more than the rest of the workspace's node_modules together.
 */
const ciToolsBinary = fileURLToPath(
  new URL('../../../../.ci/tools/node_modules/.bin/claude', import.meta.url),
);

/** The Claude Code binary to test, or why there is none. */
export type ClaudeCodeBinary = { path: string; version: string } | { missing: string };

/**
 * Finds Claude Code: `KEEL_CLAUDE_CODE_BIN`, else the copy `.ci/run` installs. The package's
 * `bin/claude.exe` is a shell stub until its postinstall copies the native binary over it, so
 * the binary must also answer `--version`.
 */
export function findClaudeCode(): ClaudeCodeBinary {
  const path = process.env.KEEL_CLAUDE_CODE_BIN ?? ciToolsBinary;
  if (!existsSync(path)) {
    return {
      missing: `Claude Code is not installed at ${path}: run \`npm ci --prefix .ci/tools\` (as .ci/run does) or set KEEL_CLAUDE_CODE_BIN`,
    };
  }
  if (statSync(path).size < 1_000_000) {
    return {
      missing: `${path} is the npm stub, not the native binary: the package's postinstall did not run (allowScripts in .ci/tools/package.json)`,
    };
  }
  const run = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) return { missing: `${path} --version failed: ${run.stderr || run.error}` };
  return { path, version: run.stdout.trim() };
}
