import { randomUUID } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** The process that sent a call, kept on its `started` ledger row. */
export interface CallInstance {
  /** Unique per process start (a restarted process gets a new one). */
  id: string;
  /** The machine's host name. */
  host: string;
  /** The operating system's process id. */
  pid: number;
  /**
   * The pid namespace (Linux `/proc/self/ns/pid`, '' elsewhere). Containers sharing the host's
   * name (host networking) each have their own, and their pids mean nothing to each other.
   */
  pidSpace?: string;
}

function pidSpace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}

let current: CallInstance | undefined;

/** This process, as its `started` ledger rows name it. */
export function currentCallInstance(): CallInstance {
  current ??= { id: randomUUID(), host: hostname(), pid: process.pid, pidSpace: pidSpace() };
  return current;
}

/**
 * True when the process that wrote a row is certainly gone: it ran on this host, in our pid
 * namespace, and either no process has its pid now, or its pid is ours but its instance id is
 * not (an earlier life of this process). A process on another host or in another pid namespace
 * (another container, or this container before a restart), or a live pid that may be it, is
 * never declared gone: its rows wait for their deadline.
 */
export function instanceIsGone(
  instance: CallInstance,
  self: CallInstance = currentCallInstance(),
): boolean {
  if (instance.host !== self.host || (instance.pidSpace ?? '') !== (self.pidSpace ?? '')) {
    return false;
  }
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
