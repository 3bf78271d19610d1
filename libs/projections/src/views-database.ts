import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ViewsDatabase } from './projection';

/**
 * How long a write waits for the file's lock another process holds (an import's views thread, a
 * CLI rebuild). The runner's batches wait between turns of the event loop (`takeWriteLock`), so
 * requests go on meanwhile; past it, the catch-up fails and the next one tries again.
 */
export const VIEWS_BUSY_TIMEOUT_MS = 5000;

/**
 * The local SQLite file that holds read models and their checkpoints. It is derived data:
 * synchronous=NORMAL is enough, since a view that lost its last transactions after a power
 * cut also lost the matching checkpoint and simply catches up again from the log.
 */
export function openViewsDatabase(file: string): ViewsDatabase {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Private like the log it is derived from; SQLite gives the -wal and -shm files the same mode.
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return withViewsSettings(db);
}

/**
 * A connection that only reads an existing views file, with the same patience and page cache
 * as the views' own: the search thread's (see `SearchThread`).
 */
export function openViewsReader(file: string): ViewsDatabase {
  const db = new Database(file, { fileMustExist: true });
  db.pragma('query_only = 1');
  return withViewsSettings(db);
}

function withViewsSettings(db: ViewsDatabase): ViewsDatabase {
  db.pragma(`busy_timeout = ${VIEWS_BUSY_TIMEOUT_MS}`);
  // Index pages stay in memory while views are fed or rebuilt (the default cache is 2 MiB; 32 MiB keeps a rebuild well under 256 MiB).
  db.pragma('cache_size = -32768');
  return db;
}
