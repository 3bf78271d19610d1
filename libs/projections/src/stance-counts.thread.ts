/*
 * The thread that derives the stance-counts view's changes of counts beside the other views'
 * builds (see `stanceCountsProjection.queryIndexesBeside`). It reads the view's statements from
 * the views file, as committed, and writes the changes of counts, and their blocks of days, to a
 * scratch file of its own: the views file has one writer at a time, and that is the other views'
 * builds meanwhile. It loads under the tests from the sources: its imports stay relative.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { countTablesSql, deriveBlocksSql, deriveDeltasSql } from './stance-counts.sql';

export interface StanceThreadData {
  viewsFile: string;
  /** The view's statements table in the views file. */
  statements: string;
  /** Where to write `deltas` and `blocks` (a file that need not exist). */
  scratchFile: string;
  cacheKiB: number;
  sortThreads: number;
}

/** The thread's one message: the changes are in the scratch file, or why not. */
export type StanceThreadReply = { derived: true } | { failed: string };

function derive({ viewsFile, statements, scratchFile, cacheKiB, sortThreads }: StanceThreadData): void {
  const db = new Database(scratchFile);
  try {
    // A scratch file, thrown away after: nothing to keep through a crash.
    db.pragma('main.journal_mode = OFF');
    db.pragma('main.synchronous = OFF');
    db.pragma(`cache_size = -${cacheKiB}`);
    db.pragma(`threads = ${sortThreads}`);
    db.prepare('ATTACH ? AS views').run(viewsFile);
    db.exec(countTablesSql('main.deltas', 'main.blocks'));
    db.exec(deriveDeltasSql(`views.${statements}`, 'main.deltas'));
    db.exec(deriveBlocksSql('main.deltas', 'main.blocks'));
  } finally {
    db.close();
  }
}

if (parentPort) {
  let reply: StanceThreadReply;
  try {
    derive(workerData as StanceThreadData);
    reply = { derived: true };
  } catch (error) {
    reply = { failed: error instanceof Error ? error.message : String(error) };
  }
  parentPort.postMessage(reply);
}
