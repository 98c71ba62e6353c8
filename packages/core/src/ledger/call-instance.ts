import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** The process that sent a call, kept on its `started` ledger row. */
export interface CallInstance {
  /** Unique per process start (a restarted process gets a new one). */
  id: string;
  /** The machine's host name. */
  host: string;
  /** The operating system's process id. */
  pid: number;
}

let current: CallInstance | undefined;

/** This process, as its `started` ledger rows name it. */
export function currentCallInstance(): CallInstance {
  current ??= { id: randomUUID(), host: hostname(), pid: process.pid };
  return current;
}

/**
 * True when the process that wrote a row is certainly gone: it ran on this host and either no
 * process has its pid now, or its pid is ours but its instance id is not (an earlier life of
 * this process, such as pid 1 in a restarted container). A process on another host, or a live
 * pid that may be it, is never declared gone: its rows wait for their deadline.
 */
export function instanceIsGone(
  instance: CallInstance,
  self: CallInstance = currentCallInstance(),
): boolean {
  if (instance.host !== self.host) return false;
  if (instance.id === self.id) return false;
  if (instance.pid === self.pid) return true;
  try {
    process.kill(instance.pid, 0);
    return false;
  } catch (error) {
    // EPERM: a process with that pid exists but belongs to someone else; it may be the writer.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
