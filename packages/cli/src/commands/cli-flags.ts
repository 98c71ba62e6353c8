/** Parsed `--name value` flags and bare `--switch`es; anything else is an error. */
export interface ParsedFlags {
  values: Map<string, string>;
  switches: Set<string>;
}

/** Parses flags; `valued` names take a value (also as `--name=value`), `switches` do not. */
export function parseFlags(
  argv: string[],
  valued: readonly string[],
  switches: readonly string[] = [],
): { ok: true; flags: ParsedFlags } | { ok: false; message: string } {
  const values = new Map<string, string>();
  const on = new Set<string>();
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const [name, inline] = argument.includes('=')
      ? argument.split(/=(.*)/s, 2)
      : [argument, undefined];
    const flag = name.replace(/^--/, '');
    if (!name.startsWith('--')) return { ok: false, message: `unexpected argument "${argument}"` };
    if (switches.includes(flag)) {
      on.add(flag);
      continue;
    }
    if (!valued.includes(flag)) return { ok: false, message: `unknown option ${name}` };
    const value = inline ?? argv[++index];
    if (value === undefined) return { ok: false, message: `${name} needs a value` };
    values.set(flag, value);
  }
  return { ok: true, flags: { values, switches: on } };
}

/** A non-negative integer flag, or an error message. */
export function integerFlag(value: string | undefined, name: string): number | string | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) return `--${name} must be a non-negative integer`;
  return number;
}
