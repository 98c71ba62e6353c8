import { parseArgs } from 'node:util';
import { startEmulator, type LatencyPreset } from '@keel/emulator';
import type { Command } from '../command.ts';

export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'Serve the local Claude API emulator',
  help: `Usage: keel emulator [--port N] [--host H] [--latency none|fast|realistic] [--seed N]

Serves a local emulator of the Claude Messages API. Point the official SDK at it with
baseURL (or ANTHROPIC_BASE_URL). Prints the URL once ready.

Options:
  --port N        Port to listen on (default 4010; 0 picks a free port)
  --host H        Host to bind (default 127.0.0.1)
  --latency P     Latency preset: none (default), fast, realistic
  --seed N        Seed for injected fault rates (default 1)
  -h, --help      Show this help`,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '4010' },
        host: { type: 'string', default: '127.0.0.1' },
        latency: { type: 'string', default: 'none' },
        seed: { type: 'string', default: '1' },
      },
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error(`keel emulator: --port must be a port number, got "${values.port}"`);
      return 2;
    }
    const emulator = await startEmulator({
      port,
      host: values.host,
      latency: values.latency as LatencyPreset,
      seed: Number(values.seed),
    });
    console.log(emulator.url);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await emulator.close();
    return 0;
  },
};
