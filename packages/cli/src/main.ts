import type { Command } from './command.ts';
import { emulatorCommand } from './commands/emulator.ts';
import { ingestCommand } from './commands/ingest.ts';
import { askCommand } from './commands/ask.ts';
import { serveCommand } from './commands/serve.ts';
import { chatCommand } from './commands/chat.ts';
import { usageCommand } from './commands/usage.ts';
import { batchCommand } from './commands/batch.ts';
import { evalCommand } from './commands/eval.ts';

const commands: Command[] = [
  emulatorCommand,
  ingestCommand,
  askCommand,
  serveCommand,
  chatCommand,
  usageCommand,
  batchCommand,
  evalCommand,
];

function usage(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: keel <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    "Run `keel <command> --help` for a command's options.",
  ].join('\n');
}

/** The keel CLI. Resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  // `keel start` (what `npm start` runs) serves the assistant on the default port.
  const command = commands.find(
    (candidate) => candidate.name === (name === 'start' ? 'serve' : name),
  );
  if (!command) {
    console.error(`keel: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    console.error(`keel ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
