import { KeelError } from '@keel/errors';
import type { Command } from './command.ts';
import { exitCodeFor, exitCodes, isParseArgsError } from './exit-code.ts';
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

/** The keel CLI. Resolves to the exit code (exit-code.ts: 2 for usage errors, then by error code). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? exitCodes.usage : exitCodes.success;
  }
  // `keel start` (what `npm start` runs) serves the assistant on the default port.
  const command = commands.find(
    (candidate) => candidate.name === (name === 'start' ? 'serve' : name),
  );
  if (!command) {
    console.error(`keel: unknown command "${name}"\n\n${usage()}`);
    return exitCodes.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return exitCodes.success;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    console.error(`keel ${name}: ${failureLine(error)}`);
    if (isParseArgsError(error)) console.error(`Run \`keel ${name} --help\` for its options.`);
    return exitCodeFor(error);
  }
}

/** What went wrong, in a line, with the error code a script or a bug report can quote. */
function failureLine(error: unknown): string {
  if (KeelError.is(error)) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
