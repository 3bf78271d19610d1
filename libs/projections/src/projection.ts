import type Database from 'better-sqlite3';
import type { StoredEvent } from '@positions/event-store';

export type ViewsDatabase = Database.Database;

/**
 * A read model fed from the log. The runner calls `apply` for each event whose type is in
 * `handles`, inside the transaction that also moves the projection's checkpoint, so the
 * view is exactly in step with the log after any crash.
 */
export interface Projection {
  /** Stable name, also the prefix of its tables. */
  readonly name: string;
  /** Bump when the view's shape or meaning changes: the view is then rebuilt from the log. */
  readonly version: number;
  readonly handles: readonly string[];
  /** Creates the tables if missing; returns the function that applies one event. */
  open(db: ViewsDatabase): (event: StoredEvent) => void;
  /** Drops the tables, for a rebuild from position 0. */
  drop(db: ViewsDatabase): void;
}
