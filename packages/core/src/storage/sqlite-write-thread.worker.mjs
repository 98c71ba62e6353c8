// The background writer of a SQLite file (see sqlite-write-thread.ts). Plain JavaScript: a worker
// thread does not inherit the TypeScript loader of the thread that starts it.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, busyTimeoutMs } = workerData;
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
db.pragma('synchronous = NORMAL');

const statements = new Map();
function statement(sql) {
  let prepared = statements.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    statements.set(sql, prepared);
  }
  return prepared;
}

const runAll = db.transaction((prepared, rows) => {
  let changes = 0;
  for (const row of rows) {
    changes += prepared.run(
      row.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value)),
    ).changes;
  }
  return changes;
});

parentPort.postMessage({ type: 'ready', id: 0, ok: true });

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const changes = runAll.immediate(statement(message.sql), message.rows);
    parentPort.postMessage({ id: message.id, ok: true, changes });
  } catch (error) {
    parentPort.postMessage({
      id: message.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
      code: typeof error?.code === 'string' ? error.code : undefined,
    });
  }
});
