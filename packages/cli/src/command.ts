/** One `keel` sub-command. */
export interface Command {
  name: string;
  /** One line for `keel --help`. */
  summary: string;
  /** The full `keel <name> --help` text. */
  help: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}
