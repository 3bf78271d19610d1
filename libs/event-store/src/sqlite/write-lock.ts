import type Database from 'better-sqlite3';
import { setTimeout as pause } from 'node:timers/promises';

/** The longest pause between two tries for a write lock another connection holds. */
const LONGEST_PAUSE_MS = 50;

/**
 * Takes the write lock of `db` (`BEGIN IMMEDIATE`), waiting for another connection that holds it
 * between turns of the event loop. SQLite's own busy handler waits by sleeping on the calling
 * thread: a service sharing its data folder with a CLI import stood still, answering nothing, for
 * up to its busy timeout at every try (stalls of 0.3 to 2.1 s throughout an import of 200,000
 * statements). Answers true once the lock is taken, false without taking anything when this
 * connection already has a transaction open (the caller's writes then join it). After `patienceMs`
 * throws SQLite's own SQLITE_BUSY, as the busy handler did.
 */
export async function takeWriteLock(db: Database.Database, patienceMs: number): Promise<boolean> {
  const deadline = Date.now() + patienceMs;
  for (let wait = 1; ; wait = Math.min(2 * wait, LONGEST_PAUSE_MS)) {
    if (db.inTransaction) return false;
    const busy = tryBeginImmediate(db);
    if (busy === null) return true;
    if (Date.now() >= deadline) throw busy;
    await pause(wait);
  }
}

/** `BEGIN IMMEDIATE` without waiting: null once begun, SQLite's error while another connection holds the lock. */
function tryBeginImmediate(db: Database.Database): unknown {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    db.exec('BEGIN IMMEDIATE');
    return null;
  } catch (error) {
    if (isBusy(error)) return error;
    throw error;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

/**
 * Runs `write` in a transaction of its own, the lock taken as `takeWriteLock` takes it, and
 * commits; inside a transaction this connection already has open, as a savepoint of it. Nothing
 * awaits between the lock and the commit, so the lock is held only while `write` runs.
 */
export async function writeWhenUnlocked<T>(db: Database.Database, write: () => T, patienceMs: number): Promise<T> {
  const own = await takeWriteLock(db, patienceMs);
  const run = db.transaction(write);
  if (!own) return run();
  try {
    const result = run();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** SQLITE_BUSY and its extended codes, by shape (errors may come from another copy of better-sqlite3: see sqlite-errors). */
function isBusy(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
