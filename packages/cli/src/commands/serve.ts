import { createAssistantLogger, ListenError, startAssistantServer } from '@keel/server';
import { pino } from 'pino';
import type { Command } from '../command.ts';
import { integerFlag, parseFlags } from './cli-flags.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the Keel assistant (web UI, HTTP API, streamed chat)',
  help: `Usage: keel serve [options]

Serves the assistant described by a config file (default: the Acme Store support demo). With
ANTHROPIC_API_KEY (environment or .env) it talks to Claude (ANTHROPIC_BASE_URL honoured); without
it, to an embedded Claude API emulator, and says so in the log and in /api/status.
Prints the URL on stdout once ready; JSON logs go to stderr. Stops cleanly on SIGTERM/SIGINT.

Options:
  --port N                  Port (default PORT, else 3000; 0 picks a free port)
  --host H                  Host to bind (default 127.0.0.1)
  --config F                Assistant config (default KEEL_ASSISTANT_CONFIG, else the demo)
  --data-dir D              Where SQLite files live (default KEEL_DATA_DIR, else ./.keel)
  --emulator-latency P      Embedded emulator latency: none (default), fast, realistic
  --emulator-scenarios F    Scripted emulator replies from a YAML/JSON file (repeatable: comma-separated)
  -h, --help                Show this help

Environment: KEEL_DATABASE_URL (PostgreSQL for several instances), KEEL_REDIS_URL (shared rate
limits), KEEL_DATA_DIR, KEEL_ASSISTANT_CONFIG, KEEL_METRICS_TOKEN (turns on /metrics behind that
bearer token), ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, PORT.
Exits 1 at once, with the reason, when the port is in use or out of range.`,
  async run(argv) {
    const parsed = parseFlags(argv, [
      'port',
      'host',
      'config',
      'data-dir',
      'emulator-latency',
      'emulator-scenarios',
    ]);
    if (!parsed.ok) {
      console.error(`keel serve: ${parsed.message}`);
      return 2;
    }
    const { values } = parsed.flags;
    const port = integerFlag(values.get('port'), 'port');
    if (typeof port === 'string') {
      console.error(`keel serve: ${port}`);
      return 2;
    }
    const latency = values.get('emulator-latency');
    if (latency !== undefined && !['none', 'fast', 'realistic'].includes(latency)) {
      console.error('keel serve: --emulator-latency must be none, fast or realistic');
      return 2;
    }
    if (port !== undefined && port > 65535) {
      console.error(`keel serve: --port ${port} is not a port; use 0 (any free port) to 65535`);
      return 2;
    }
    const server = await startAssistantServer({
      port: port ?? Number(process.env.PORT ?? 3000),
      ...(values.has('host') ? { host: values.get('host')! } : {}),
      ...(values.has('config') ? { config: values.get('config')! } : {}),
      ...(values.has('data-dir') ? { dataDir: values.get('data-dir')! } : {}),
      emulator: {
        ...(latency ? { latency: latency as 'none' | 'fast' | 'realistic' } : {}),
        ...(values.has('emulator-scenarios')
          ? { scenarios: values.get('emulator-scenarios')!.split(',') }
          : {}),
      },
      logger: createAssistantLogger(pino.destination(2)),
      handleSignals: true,
    }).catch((error: unknown) => {
      // Nothing was opened yet (the port is bound first): say why and exit, never hang.
      if (error instanceof ListenError) return error;
      throw error;
    });
    if (server instanceof ListenError) {
      console.error(`keel serve: ${server.message}`);
      return 1;
    }
    // The URL is the only line on stdout: scripts and tests read it to find the server.
    console.log(server.url);
    if (server.runtime.mode === 'emulator') {
      console.error(
        'keel serve: no ANTHROPIC_API_KEY — answers come from the embedded emulator, not Claude.',
      );
      for (const account of server.runtime.demoAccounts) {
        console.error(
          `keel serve: demo login ${account.email} / ${account.password} (${account.role})`,
        );
      }
    }
    await server.closed;
    return 0;
  },
};
