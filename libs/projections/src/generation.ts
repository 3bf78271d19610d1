import type { StoredEvent } from '@positions/event-store';
import { type Checkpoint, type Checkpoints, suffixOf } from './checkpoints';
import type { Projection, ViewsDatabase } from './projection';

/** One generation of a view's tables, with the checkpoint that moves with them. */
export interface Generation {
  checkpoint: Checkpoint;
  apply: (event: StoredEvent) => void;
  error: string | null;
}

/** Opens (creating if missing) the tables of the generation `checkpoint` names. */
export function openGeneration(db: ViewsDatabase, projection: Projection, checkpoint: Checkpoint): Generation {
  return { checkpoint, apply: projection.open(db, suffixOf(checkpoint.name, checkpoint.version, checkpoint.generation)), error: null };
}

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
    for (const event of events) {
      if (event.position > generation.checkpoint.position && handles.includes(event.type)) generation.apply(event);
    }
    generation.checkpoint = { ...generation.checkpoint, position: last };
    if (kind === 'live') checkpoints.saveLive(generation.checkpoint);
    else checkpoints.saveBuild(generation.checkpoint);
  }).immediate();
}
