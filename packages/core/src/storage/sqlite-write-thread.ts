import { Worker } from 'node:worker_threads';
import type { SqlValue } from './storage.ts';
import { StorageWriteError } from './storage-write-error.ts';

interface Reply {
  type?: 'ready';
  id: number;
  ok: boolean;
  changes?: number;
  message?: string;
  code?: string;
}

interface PendingBatch {
  resolve: (changes: number) => void;
  reject: (error: Error) => void;
}

/**
 * A second connection to a SQLite file, on a worker thread, that runs batches of one statement
 * (many rows, one transaction) so that a bulk write never blocks the event loop. better-sqlite3
 * is synchronous: a batch of ledger rows written on the main thread holds it for the whole
 * transaction, and every response that arrives meanwhile waits.
 *
 * The thread starts on the first batch and does not keep the process alive while idle; while a
 * batch is in flight it does, so a batch handed over is written before a natural exit. If the
 * thread dies, pending batches fail with `StorageWriteError` and `alive` turns false.
 */
export class SqliteWriteThread {
  readonly #path: string;
  readonly #location: string;
  readonly #busyTimeoutMs: number;
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, PendingBatch>();
  #dead: Error | undefined;
  #closing: Promise<void> | undefined;
  #ready: Promise<void> | undefined;

  constructor(options: { path: string; location: string; busyTimeoutMs: number }) {
    this.#path = options.path;
    this.#location = options.location;
    this.#busyTimeoutMs = options.busyTimeoutMs;
  }

  /** False once the thread has stopped (closed, or failed): batches must be written inline. */
  get alive(): boolean {
    return this.#dead === undefined && this.#closing === undefined;
  }

  /**
   * Starts the thread if needed and resolves once its connection is open (or rejects if it could
   * not start), so callers can wait for start-up without holding any lock.
   */
  ready(): Promise<void> {
    this.#start();
    return this.#ready!;
  }

  /** Runs `sql` once per row in one `BEGIN IMMEDIATE` transaction; resolves with rows changed. */
  run(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<number> {
    if (!this.alive) {
      return Promise.reject(
        new StorageWriteError(this.#location, 'the background writer has stopped', undefined, {
          cause: this.#dead,
        }),
      );
    }
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise<number>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) worker.ref();
      try {
        worker.postMessage({ type: 'run', id, sql, rows });
      } catch (error) {
        // A value the thread cannot receive: nothing was sent, so nothing will answer.
        this.#settle({
          id,
          ok: false,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    });
  }

  /** Lets pending batches finish, then stops the thread. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    const worker = this.#worker;
    if (!worker || this.#dead) {
      this.#closing = Promise.resolve();
      return this.#closing;
    }
    this.#closing = new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.ref();
      // Messages are handled in order: every batch posted before this one is written first.
      worker.postMessage({ type: 'close' });
    });
    return this.#closing;
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./sqlite-write-thread.worker.mjs', import.meta.url), {
      workerData: { path: this.#path, busyTimeoutMs: this.#busyTimeoutMs },
    });
    worker.unref();
    this.#ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: Reply) => {
        if (reply.type === 'ready') resolve();
        else this.#settle(reply);
      });
      worker.on('error', (error) => {
        reject(this.#fail(error));
      });
      worker.on('exit', (code) => {
        reject(this.#fail(new Error(`the background writer exited with code ${code}`)));
      });
    });
    // Start-up failures reach callers of ready() and run(); never an unhandled rejection.
    this.#ready.catch(() => {});
    this.#worker = worker;
    return worker;
  }

  #settle(reply: Reply): void {
    const batch = this.#pending.get(reply.id);
    if (!batch) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker?.unref();
    if (reply.ok) batch.resolve(reply.changes ?? 0);
    else
      batch.reject(new StorageWriteError(this.#location, reply.message ?? 'unknown', reply.code));
  }

  #fail(error: Error): StorageWriteError {
    this.#dead ??= error;
    const failure = new StorageWriteError(this.#location, error.message, undefined, {
      cause: error,
    });
    for (const batch of this.#pending.values()) batch.reject(failure);
    this.#pending.clear();
    return failure;
  }
}
