import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';

/** SQLite's own threshold, given back to a connection when the thread is gone. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

/**
 * The thread's code: a connection to each file it is given, and a passive checkpoint of each every
 * `everyMs`; a file it cannot open ends it (the connections then checkpoint by themselves). PASSIVE never waits for a lock and never blocks readers or writers: it copies back
 * what no reader still needs, and a later run copies the rest. Evaluated, not loaded from a file,
 * so that it runs the same from the sources (jest) and the build.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const open = new Map();
// SQLite's errors reach the other thread as their code alone: the message is made here.
const about = (file, work) => {
  try {
    return work();
  } catch (error) {
    throw new Error(file + ': ' + error.message + (error.code ? ' (' + error.code + ')' : ''));
  }
};
parentPort.on('message', ({ add, remove }) => {
  if (add !== undefined && !open.has(add)) open.set(add, about(add, () => new Database(add, { fileMustExist: true })));
  if (remove !== undefined) {
    open.get(remove)?.close();
    open.delete(remove);
  }
});
// A checkpoint that fails (a full disk) is told once and tried again: the log keeps the pages meanwhile.
const told = new Set();
setInterval(() => {
  for (const [file, db] of open) {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
      told.delete(file);
    } catch (error) {
      if (!told.has(file)) parentPort.postMessage({ failed: file + ': ' + error.message + (error.code ? ' (' + error.code + ')' : '') });
      told.add(file);
    }
  }
}, workerData.everyMs);
`;

/**
 * Copies the write-ahead logs of a process's SQLite files back into them on a thread of its own.
 * A commit that finds its log past 1,000 pages otherwise does it itself, on the event loop,
 * fsyncs included: a service's statement POST paid for the copies of its views' pages (about a
 * fifth of its CPU time under load), and a service writing beside a CLI import paid for copying
 * the import's pages back, 0.6–1.8 s at a time. Connections handed to it run no checkpoint
 * themselves (`wal_autocheckpoint = 0`); if the thread fails, they get SQLite's own back.
 */
export class WalCheckpointer {
  private worker: Worker | null = null;
  private readonly connections = new Set<Database.Database>();
  private failed = false;

  constructor(
    private readonly onError: (error: Error) => void = () => undefined,
    private readonly everyMs = 100,
  ) {}

  /** Hands the checkpoints of `db`'s file to the thread (a file in WAL mode; in-memory and read-only connections are left as they are). */
  add(db: Database.Database): void {
    if (this.failed || db.memory || db.readonly || this.connections.has(db)) return;
    if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return;
    this.thread().postMessage({ add: db.name });
    db.pragma('wal_autocheckpoint = 0');
    this.connections.add(db);
  }

  /** Gives `db` its own checkpoints back (before it closes, or when its owner no longer wants the thread's). */
  remove(db: Database.Database): void {
    if (!this.connections.delete(db)) return;
    if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    this.worker?.postMessage({ remove: db.name });
  }

  /** Ends the thread; the connections still open checkpoint by themselves again. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.giveBack();
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(THREAD, { eval: true, workerData: { sqlite: require.resolve('better-sqlite3'), everyMs: this.everyMs } });
    // The thread keeps no process alive: a process that ends closes its files, which checkpoints them.
    worker.unref();
    worker.on('error', (error) => this.fail(error));
    // A checkpoint that failed is tried again; the owner hears of it once, until one succeeds.
    worker.on('message', ({ failed }: { failed?: string }) => failed !== undefined && this.onError(new Error(`a checkpoint failed, and is tried again: ${failed}`)));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.fail(new Error(`the WAL checkpoint thread exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.worker = null;
    this.giveBack();
    this.onError(new Error(`the thread stopped; each connection checkpoints by itself again: ${error.message}`));
  }

  private giveBack(): void {
    for (const db of this.connections) if (db.open) db.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    this.connections.clear();
  }
}
