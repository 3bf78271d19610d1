import type { StoredEvent } from '@positions/event-store';
import { type Checkpoint, type Checkpoints, suffixOf } from './checkpoints';
import type { Applier, Projection, ViewsDatabase } from './projection';

/** One generation of a view's tables, with the checkpoint that moves with them. */
export interface Generation {
  checkpoint: Checkpoint;
  apply: Applier;
  error: string | null;
  /** The query indexes are still to be built (see `Projection.queryIndexes`). */
  indexesPending: boolean;
  /** `apply` was opened in bulk (see `Projection.open`) and is opened again once the indexes are built. */
  bulk: boolean;
}

/**
 * Opens (creating if missing) the tables of the generation `checkpoint` names, with its query
 * indexes unless `deferIndexes` (then `buildQueryIndexes` once it caught up).
 */
export function openGeneration(db: ViewsDatabase, projection: Projection, checkpoint: Checkpoint, deferIndexes = false): Generation {
  const apply = projection.open(db, suffixOfGeneration(checkpoint), deferIndexes);
  const generation = { checkpoint, apply, error: null, indexesPending: true, bulk: deferIndexes };
  if (!deferIndexes) buildQueryIndexes(db, projection, generation);
  return generation;
}

export function buildQueryIndexes(db: ViewsDatabase, projection: Projection, generation: Generation): void {
  if (!generation.indexesPending) return;
  const suffix = suffixOfGeneration(generation.checkpoint);
  withBuildSettings(db, () => projection.queryIndexes?.(db, suffix));
  indexesBuilt(db, projection, generation, suffix);
}

/**
 * `buildQueryIndexes`, with the part of a view's work that may run on a thread of its own run
 * there (`Projection.queryIndexesBeside`): the promise is returned once the part on db is done,
 * and the caller builds other views' meanwhile. When the thread fails, `onThreadFailed` hears why
 * and the indexes are built on db.
 */
export async function buildQueryIndexesBeside(db: ViewsDatabase, projection: Projection, generation: Generation, onThreadFailed: (error: unknown) => void): Promise<void> {
  const beside = projection.queryIndexesBeside?.bind(projection);
  if (!beside) return buildQueryIndexes(db, projection, generation);
  if (!generation.indexesPending) return;
  const suffix = suffixOfGeneration(generation.checkpoint);
  const started = withBuildSettings(db, () => beside(db, suffix));
  let rest: () => void;
  try {
    rest = await started;
  } catch (error) {
    onThreadFailed(error);
    rest = () => projection.queryIndexes?.(db, suffix);
  }
  withBuildSettings(db, rest);
  indexesBuilt(db, projection, generation, suffix);
}

function indexesBuilt(db: ViewsDatabase, projection: Projection, generation: Generation, suffix: string): void {
  // From now on queries read the view: every event keeps all of it in step.
  if (generation.bulk) generation.apply = projection.open(db, suffix);
  generation.bulk = false;
  generation.indexesPending = false;
}

const suffixOfGeneration = ({ name, version, generation }: Checkpoint) => suffixOf(name, version, generation);

/**
 * Applies `events` to one generation in one write transaction with its checkpoint (the live
 * one, or a rebuild's). The stored checkpoint is read inside it: when another process sharing
 * the file got further, what it applied is skipped, never applied twice.
 */
export function applyBatch(
  db: ViewsDatabase,
  checkpoints: Checkpoints,
  { generation, projection, kind }: { generation: Generation; projection: Projection; kind: 'live' | 'build' },
  events: readonly StoredEvent[],
): void {
  const last = events[events.length - 1].position;
  const handles: readonly string[] = projection.handles;
  db.transaction(() => {
    const stored = kind === 'live' ? checkpoints.live(projection.name) : checkpoints.build(projection.name);
    if (stored?.generation === generation.checkpoint.generation && stored.position > generation.checkpoint.position) {
      generation.checkpoint = stored;
    }
    if (last <= generation.checkpoint.position) return;
    try {
      for (const event of events) {
        if (event.position > generation.checkpoint.position && handles.includes(event.type)) generation.apply(event);
      }
    } finally {
      // Also after a failed apply: what was held back is then written and undone with the batch.
      generation.apply.flush?.();
    }
    generation.checkpoint = { ...generation.checkpoint, position: last };
    if (kind === 'live') checkpoints.saveLive(generation.checkpoint);
    else checkpoints.saveBuild(generation.checkpoint);
  }).immediate();
}

/** The page cache, in KiB, while query indexes and derived rows are built (see `withBuildSettings`). */
export const BUILD_CACHE_KIB = 8192;
/** SQLite's helper threads for the sorts of those builds (see `withBuildSettings`); one is as fast as two on 2 cores. */
export const BUILD_SORT_THREADS = 1;

/**
 * Runs `build` with the views connection's page cache at most `BUILD_CACHE_KIB`, then restores
 * it. SQLite gives each sorter (a CREATE INDEX, an ORDER BY, a window's partitions) as much
 * memory as the page cache, and one statement may run several at once: with 32 MiB, deriving the
 * stance counts of 1,000,000 statements took 80 MiB beside the cache, the peak of a whole
 * rebuild. These builds write sorted pages once and merge sorted runs from temporary files, so a
 * large cache barely speeds them; the B-tree inserts of a catch-up need it.
 *
 * Meanwhile SQLite may sort on BUILD_SORT_THREADS helper threads as well: the runs a sort spills
 * are sorted and merged beside the thread that asked. Little other work of the process runs then
 * (the import waits for these builds, and a rebuild's builds hold the write lock anyway): on
 * 1,000,000 statements the last step of an import took 14.6–14.7 s against 16.0 s. The one
 * exception is the thread of `buildQueryIndexesBeside`, which the import's last step starts on
 * purpose (decision 0054).
 */
function withBuildSettings<T>(db: ViewsDatabase, build: () => T): T {
  const cache = db.pragma('cache_size', { simple: true }) as number;
  const threads = db.pragma('threads', { simple: true }) as number;
  // Negative: KiB; positive: pages.
  const kib = cache < 0 ? -cache : (cache * (db.pragma('page_size', { simple: true }) as number)) / 1024;
  if (kib > BUILD_CACHE_KIB) db.pragma(`cache_size = -${BUILD_CACHE_KIB}`);
  db.pragma(`threads = ${BUILD_SORT_THREADS}`);
  try {
    return build();
  } finally {
    db.pragma(`threads = ${threads}`);
    if (kib > BUILD_CACHE_KIB) db.pragma(`cache_size = ${cache}`);
  }
}
