import type Database from 'better-sqlite3';
import type { DomainEvent } from '@positions/domain';
import type { StoredEvent } from '@positions/event-store';

export type ViewsDatabase = Database.Database;

/**
 * Applies one event to a view. `flush`, when there, writes what the view held back from the
 * events before it (changes no `apply` reads): at the end of each batch, in its transaction.
 */
export type Applier = ((event: StoredEvent) => void) & { flush?: () => void };

/**
 * A read model fed from the log. Its tables are named with a generation `suffix`, so a
 * rebuild can fill fresh tables while the current ones keep answering, then switch. The
 * runner calls `apply` for each event whose type is in `handles`, inside the transaction
 * that also moves the view's checkpoint: the view is exactly in step with the log after
 * any crash.
 */
export interface Projection {
  /** Stable name, used in `GET /api/projections` and for rebuilds. */
  readonly name: string;
  /** Bump when the view's shape or meaning changes: the view is then rebuilt from the log. */
  readonly version: number;
  /** The event types `open`'s function is given: a renamed event type fails to compile here. */
  readonly handles: readonly DomainEvent['type'][];
  /**
   * Creates the generation's tables if missing (with the indexes `apply` reads); returns the
   * function that applies one event. `bulk`: the generation starts empty and nothing reads it
   * before `queryIndexes` ran, so `apply` may leave out what only queries read (the runner then
   * opens it again without `bulk`).
   */
  open(db: ViewsDatabase, suffix: string, bulk?: boolean): Applier;
  /**
   * Creates, if missing, what only queries read: indexes, and rows a view derives from its own
   * rows. A generation that starts empty before anything is served gets them after its first
   * catch-up to the end of the log: one sorted build per index instead of a B-tree insert per row.
   */
  queryIndexes?(db: ViewsDatabase, suffix: string): void;
  /**
   * `queryIndexes` for a runner that builds several views' at once (`finishBuilds`): part of the
   * work on a thread of its own, while the runner builds the other views' on db. Throws as
   * `queryIndexes` does when the part on db fails. The promise resolves, once the thread is done,
   * with the rest, to run on db; it rejects when the thread failed (the runner then runs
   * `queryIndexes`).
   */
  queryIndexesBeside?(db: ViewsDatabase, suffix: string): Promise<() => void>;
  /** Drops the generation's tables. */
  drop(db: ViewsDatabase, suffix: string): void;
}

export interface RunnerLogger {
  log(message: string): void;
  error(message: string): void;
}
