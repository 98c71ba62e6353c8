import { startEmulator } from '@keel/emulator';
import type { Command } from '../command.ts';
import { parseEmulatorArguments } from './emulator-arguments.ts';

export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'Serve the local Claude API emulator',
  help: `Usage: keel emulator [options]

Serves a local emulator of the Claude API (messages, token counting, models, batches).
Point the official SDK at it with baseURL (or ANTHROPIC_BASE_URL). Prints the URL once ready.
The admin API lives under <url>/_emulator/ (request log, clock, faults, limits, scenarios).

Options:
  --port N             Port to listen on (default 4010; 0 picks a free port)
  --host H             Host to bind (default 127.0.0.1)
  --latency P          Latency preset: none (default), fast, realistic
  --seed N             Seed for injected fault rates (default 1)
  --rpm N              Requests per minute per API key (default unlimited)
  --itpm N             Input tokens per minute per API key
  --otpm N             Output tokens per minute per API key
  --fault TYPE[:RATE]  Inject a fault into /v1/messages (repeatable). TYPE is one of rate_limit,
                       api_error, overloaded, connection_reset, slow_first_token, stream_error,
                       stream_cut; RATE is a probability from 0 to 1 (default 1)
  --scenarios PATH     Load scripted replies from a YAML or JSON file (repeatable)
  --batch-delay-ms N   Wait before processing a message batch (default 0)
  --batch-result-order O
                       Order of batch result lines: shuffled (default, by --seed; the API keeps
                       no order) or request
  --record DIR         Relay /v1 requests to the upstream and save them as cassettes in DIR
  --upstream URL       Upstream for --record (default https://api.anthropic.com)
  --replay DIR         Answer /v1 requests from the cassettes in DIR, offline
  --api-key K          Accept only this API key (repeatable; default: any non-empty key)
  -h, --help           Show this help`,
  async run(argv) {
    const parsed = parseEmulatorArguments(argv);
    if (!parsed.ok) {
      console.error(`keel emulator: ${parsed.message}`);
      return 2;
    }
    const emulator = await startEmulator(parsed.options);
    // The URL is the only line on stdout: scripts and tests read it to find the emulator.
    console.log(emulator.url);
    for (const note of parsed.notes) console.error(`keel emulator: ${note}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await emulator.close();
    return 0;
  },
};
