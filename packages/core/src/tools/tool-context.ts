/**
 * Who is using the agent, as established by your application's authentication. Tools authorize
 * with this, never with identifiers the model writes into tool input.
 */
export interface Principal {
  /** The authenticated user's id. */
  userId: string;
  /** The user's roles, e.g. `['customer']` or `['support-agent']`. */
  roles: readonly string[];
}

/** The log methods tools may use; a pino logger fits. */
export interface ToolLogger {
  debug(fields: Record<string, unknown>, message?: string): void;
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

/** What a tool handler receives besides its validated input. */
export interface ToolContext {
  /** The authenticated principal of the run. */
  principal: Principal;
  /** Aborted when the run is aborted or the tool's timeout passes; pass it to I/O. */
  signal: AbortSignal;
  /** A logger bound to this tool call. */
  logger: ToolLogger;
  /** The id of the `tool_use` block being answered. */
  toolUseId: string;
}

/** A logger that drops everything. */
export const silentLogger: ToolLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** A logger whose every line carries `fields` as well. */
export function childLogger(parent: ToolLogger, fields: Record<string, unknown>): ToolLogger {
  return {
    debug: (own, message) => parent.debug({ ...fields, ...own }, message),
    info: (own, message) => parent.info({ ...fields, ...own }, message),
    warn: (own, message) => parent.warn({ ...fields, ...own }, message),
    error: (own, message) => parent.error({ ...fields, ...own }, message),
  };
}
