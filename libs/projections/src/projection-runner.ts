import type { EventStore, StoredEvent, Unsubscribe } from '@positions/event-store';
import type { Projection, ViewsDatabase } from './projection';

export type ProjectionStatus = 'live' | 'catching-up' | 'failed';

export interface ProjectionInfo {
  name: string;
  version: number;
  /** Global position of the last event the view has taken in. */
  position: number;
  /** How far the view is behind the log's last position. */
  lag: number;
  status: ProjectionStatus;
  error: string | null;
}

interface Entry {
  projection: Projection;
  apply: (event: StoredEvent) => void;
  position: number;
  error: string | null;
}

export interface RunnerLogger {
  log(message: string): void;
  error(message: string): void;
}

/**
 * Feeds read models from the log. Each batch of each projection is applied in one
 * transaction together with its checkpoint. Catch-ups are single-flight: a request that
 * arrives while one runs makes it go round once more, so no append is ever missed.
 */
export class ProjectionRunner {
  private readonly entries: Entry[] = [];
  private running: Promise<void> | null = null;
  private again = false;
  private unsubscribe: Unsubscribe | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly db: ViewsDatabase,
    projections: readonly Projection[],
    private readonly logger: RunnerLogger = { log: () => undefined, error: () => undefined },
    private readonly batchSize = 1000,
  ) {
    for (const projection of projections) this.entries.push(this.openEntry(projection));
  }

  /** Catches every view up with the log, then follows it. */
  async start(): Promise<void> {
    this.unsubscribe = this.store.subscribe(() => {
      this.catchUp().catch((error: unknown) => this.logger.error(`catch-up failed: ${String(error)}`));
    });
    await this.catchUp();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  catchUp(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.drain();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Read-your-writes: resolves once every working view has taken in `position`. */
  async waitFor(position: number): Promise<void> {
    for (let round = 0; round < 3 && this.lowestLivePosition() < position; round++) await this.catchUp();
  }

  async info(): Promise<ProjectionInfo[]> {
    const last = await this.store.lastPosition();
    return this.entries.map(({ projection, position, error }) => ({
      name: projection.name,
      version: projection.version,
      position,
      lag: Math.max(0, last - position),
      status: error ? 'failed' : position < last ? 'catching-up' : 'live',
      error,
    }));
  }

  private openEntry(projection: Projection): Entry {
    const stored = this.db
      .prepare('SELECT version, position FROM projection_checkpoints WHERE name = ?')
      .get(projection.name) as { version: number; position: number } | undefined;
    if (stored && stored.version !== projection.version) {
      this.logger.log(`view ${projection.name} is at version ${stored.version}, code at ${projection.version}: rebuilding from the log`);
      projection.drop(this.db);
    }
    const position = stored?.version === projection.version ? stored.position : 0;
    this.db
      .prepare('INSERT INTO projection_checkpoints (name, version, position) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET version = excluded.version, position = excluded.position')
      .run(projection.name, projection.version, position);
    return { projection, apply: projection.open(this.db), position, error: null };
  }

  private lowestLivePosition(): number {
    const live = this.entries.filter((e) => !e.error);
    return live.length ? Math.min(...live.map((e) => e.position)) : Number.POSITIVE_INFINITY;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const after = this.lowestLivePosition();
      if (!Number.isFinite(after)) return;
      const events = await this.store.readAll({ after, limit: this.batchSize });
      if (events.length === 0) return;
      for (const entry of this.entries) if (!entry.error) this.applyBatch(entry, events);
    }
  }

  private applyBatch(entry: Entry, events: readonly StoredEvent[]): void {
    const { projection } = entry;
    const last = events[events.length - 1].position;
    if (last <= entry.position) return;
    const saveCheckpoint = this.db.prepare('UPDATE projection_checkpoints SET position = ? WHERE name = ?');
    try {
      this.db.transaction(() => {
        for (const event of events) {
          if (event.position > entry.position && projection.handles.includes(event.type)) entry.apply(event);
        }
        saveCheckpoint.run(last, projection.name);
      })();
      entry.position = last;
    } catch (error) {
      entry.error = `event at position ${events[0].position}..${last}: ${error instanceof Error ? error.message : String(error)}`;
      this.logger.error(`view ${projection.name} failed and stopped: ${entry.error}`);
    }
  }
}
