import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const keelBin = fileURLToPath(new URL('../../bin/keel.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'keel-serve-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `keel serve <args>` to its exit (a hang fails the test by its timeout). */
function serve(args: string[], env: Record<string, string> = {}) {
  const { ANTHROPIC_API_KEY: _key, PORT: _port, ...inherited } = process.env;
  const child = spawn(process.execPath, [keelBin, 'serve', ...args], {
    env: { ...inherited, KEEL_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('keel serve on a port it cannot have', () => {
  it('exits 2 on --port 99999 and 1 on PORT=99999, saying what a port may be', async () => {
    const flag = await serve(['--port', '99999']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('0 (any free port) to 65535');
    const fromEnvironment = await serve([], { PORT: '99999' });
    expect(fromEnvironment.code).toBe(1);
    expect(fromEnvironment.stderr).toContain('Port 99999 is not valid');
    expect(fromEnvironment.stdout).toBe('');
  }, 60_000);

  it('exits 1 on a port in use, says so, and never logs the demo accounts as if it had started', async () => {
    const occupant: Server = createServer();
    await new Promise<void>((resolve) => occupant.listen(0, '127.0.0.1', resolve));
    const { port } = occupant.address() as { port: number };
    try {
      const result = await serve(['--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(result.stderr).not.toMatch(/demo (login|account)/);
      expect(result.stderr).not.toContain('listening');
      expect(result.stdout).toBe('');
    } finally {
      occupant.close();
    }
  }, 60_000);
});
