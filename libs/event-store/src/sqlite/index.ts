/** The embedded store, for composition roots and tests that need it by name; others go through openStore. */
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';
/** Write locks taken without blocking the event loop, for the views file as for the log. */
export { takeWriteLock, writeWhenUnlocked } from './write-lock';
/** Whether a SQLite error means the file cannot be written now (a full disk, an I/O error), not a bug. */
export { classifySqliteError } from './sqlite-errors';
/** Write-ahead logs copied back on a thread of its own, not in the event loop's commits. */
export { WalCheckpointer } from './wal-checkpointer';
