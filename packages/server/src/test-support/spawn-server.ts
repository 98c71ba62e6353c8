import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const keelBin = fileURLToPath(new URL('../../../cli/bin/keel.js', import.meta.url));

/** A `keel serve` child process. */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** What the child wrote to stderr (its JSON logs). */
  stderr(): string;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | NodeJS.Signals | null>;
}

/** Spawns `keel serve --port 0 <args>` without an API key and waits for the URL on stdout. */
export async function spawnServer(
  args: string[],
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const { ANTHROPIC_API_KEY: _key, ANTHROPIC_BASE_URL: _base, ...inherited } = process.env;
  const child = spawn(process.execPath, [keelBin, 'serve', '--port', '0', ...args], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(line.trim()));
    void exited.then((code) =>
      reject(new Error(`keel serve exited (${String(code)}) before it was ready:\n${errors}`)),
    );
  });
  return { child, url, stderr: () => errors, exited };
}
