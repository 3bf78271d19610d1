import type { EventStore } from '@positions/event-store';
import { Checkpoints, suffixOf } from './checkpoints';
import type { Projection, ViewsDatabase } from './projection';

/**
 * Which log a views file was built from: the store's kind and its first event (id and
 * position). Checkpoints are positions of one log only: after a switch of EVENT_STORE, of
 * database or of namespace (the README's move of a record to KurrentDB keeps every event id,
 * not the positions), they would skip events or point inside another log's records.
 */
export interface StoreIdentity {
  kind: string;
  /** `<eventId>@<position>` of the first event; null for an empty store. */
  firstEvent: string | null;
}

export async function identityOf(store: EventStore): Promise<StoreIdentity> {
  const [first] = await store.readAll({ limit: 1 });
  return { kind: store.kind, firstEvent: first ? `${first.eventId}@${first.position}` : null };
}

/**
 * Ties the views file to `store` before a runner opens it. When the views were built from
 * another log (or from one this file never recorded, the files of earlier versions), every view
 * starts a fresh generation at position 0, its old tables dropped: the runner then builds it
 * from this log. Views that took in nothing yet are kept. The identity of a store still empty
 * is recorded with its first append. Returns whether the views were reset.
 */
export async function bindViewsToStore(db: ViewsDatabase, store: EventStore, projections: readonly Projection[]): Promise<boolean> {
  db.exec('CREATE TABLE IF NOT EXISTS views_store (id INTEGER PRIMARY KEY CHECK (id = 1), kind TEXT NOT NULL, first_event TEXT)');
  const current = await identityOf(store);
  const stored = db.prepare('SELECT kind, first_event AS firstEvent FROM views_store WHERE id = 1').get() as StoreIdentity | undefined;
  const checkpoints = new Checkpoints(db);
  const fed = projections.some((p) => (checkpoints.live(p.name)?.position ?? 0) > 0 || (checkpoints.build(p.name)?.position ?? 0) > 0);
  const same = stored !== undefined && stored.kind === current.kind && stored.firstEvent === current.firstEvent;
  const reset = fed && !same;
  db.transaction(() => {
    if (reset) for (const projection of projections) restart(db, checkpoints, projection);
    record(db, current);
  })();
  if (current.firstEvent === null) recordOnFirstAppend(db, store);
  return reset;
}

function record(db: ViewsDatabase, identity: StoreIdentity): void {
  db.prepare('INSERT INTO views_store (id, kind, first_event) VALUES (1, @kind, @firstEvent) ON CONFLICT(id) DO UPDATE SET kind = @kind, first_event = @firstEvent').run(identity);
}

/** Completes the identity of a store that was empty: views fed from it must not look foreign at the next start. */
function recordOnFirstAppend(db: ViewsDatabase, store: EventStore): void {
  let done = false;
  const unsubscribe = store.subscribe(() => {
    if (done) return;
    done = true;
    unsubscribe();
    void identityOf(store)
      .then((identity) => db.open && record(db, identity))
      .catch(() => undefined); // the next start then rebuilds the views: slower, never wrong
  });
}

/** Drops a view's tables and points it at a new, empty generation: generation numbers never repeat. */
function restart(db: ViewsDatabase, checkpoints: Checkpoints, projection: Projection): void {
  const live = checkpoints.live(projection.name);
  const build = checkpoints.build(projection.name);
  for (const checkpoint of [live, build]) if (checkpoint) projection.drop(db, suffixOf(checkpoint.name, checkpoint.version, checkpoint.generation));
  if (build) checkpoints.endBuild(projection.name);
  if (!live) return;
  const generation = Math.max(live.generation, build?.generation ?? 0) + 1;
  checkpoints.saveLive({ name: projection.name, version: projection.version, generation, position: 0 });
}
