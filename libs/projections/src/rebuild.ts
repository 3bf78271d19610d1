import type { EventStore } from '@positions/event-store';
import { writeWhenUnlocked } from '@positions/event-store/sqlite';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { type Checkpoints, suffixOf } from './checkpoints';
import { applyBatch, type Generation } from './generation';
import type { Projection, RunnerLogger, ViewsDatabase } from './projection';
import { VIEWS_BUSY_TIMEOUT_MS } from './views-database';

export interface RebuildProgress {
  status: 'running' | 'failed';
  generation: number;
  /** Global position the new generation has reached. */
  position: number;
  /** The log's last position when the rebuild started (it follows later appends too). */
  total: number;
  /** Events per second so far. */
  rate: number;
  startedAt: string;
  error: string | null;
}

export interface RebuildDeps {
  store: EventStore;
  db: ViewsDatabase;
  checkpoints: Checkpoints;
  projection: Projection;
  target: Generation;
  batchSize: number;
  logger: RunnerLogger;
  switchTo(target: Generation): void;
}

const LOG_EVERY_MS = 2000;

/**
 * One rebuild of one view: replays the log from its checkpoint into a new generation of
 * tables, batch by batch, yielding between batches so the service keeps answering from the
 * old generation. Its checkpoint is stored with each batch, so after a crash the next start
 * resumes it. When it reaches the end of the log it takes what was appended meanwhile and
 * switches, with no await in between.
 */
export class Rebuild {
  failed = false;
  readonly finished: Promise<void>;
  private resolveFinished!: () => void;
  private error: string | null = null;
  private total = 0;
  private readonly startedAt = Date.now();
  private readonly startPosition: number;
  private stopped = false;
  private started = false;

  constructor(private readonly deps: RebuildDeps) {
    this.startPosition = deps.target.checkpoint.position;
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  get generation(): number {
    return this.deps.target.checkpoint.generation;
  }

  /** Starts replaying; `total` is the log's last position now, as the yardstick of progress. */
  run(total?: number): void {
    if (this.started) return;
    this.started = true;
    if (total !== undefined) this.total = total;
    this.deps.checkpoints.saveBuild(this.deps.target.checkpoint);
    this.replay().catch((error: unknown) => this.fail(error));
  }

  /** Stops after the current batch (shutdown); the stored checkpoint lets the next start resume. */
  stop(): void {
    this.stopped = true;
  }

  /** Drops a failed generation's tables before a new attempt. */
  discard(): void {
    const { checkpoint } = this.deps.target;
    this.deps.projection.drop(this.deps.db, suffixOf(checkpoint.name, checkpoint.version, checkpoint.generation));
  }

  progress(): RebuildProgress {
    const { checkpoint } = this.deps.target;
    const seconds = Math.max(0.001, (Date.now() - this.startedAt) / 1000);
    return {
      status: this.failed ? 'failed' : 'running',
      generation: checkpoint.generation,
      position: checkpoint.position,
      total: this.total,
      rate: Math.round((checkpoint.position - this.startPosition) / seconds),
      startedAt: new Date(this.startedAt).toISOString(),
      error: this.error,
    };
  }

  private async replay(): Promise<void> {
    const { store, db, checkpoints, projection, target, batchSize, logger } = this.deps;
    this.total = Math.max(this.total, await store.lastPosition());
    logger.log(`rebuilding view ${projection.name} (generation ${target.checkpoint.generation}) from position ${target.checkpoint.position} of ${this.total}`);
    let lastLog = Date.now();
    for (;;) {
      if (this.stopped) return;
      const events = await store.readAll({ after: target.checkpoint.position, limit: batchSize });
      if (events.length === 0) break;
      await writeWhenUnlocked(db, () => applyBatch(db, checkpoints, { generation: target, projection, kind: 'build' }, events), VIEWS_BUSY_TIMEOUT_MS);
      if (Date.now() - lastLog >= LOG_EVERY_MS) {
        lastLog = Date.now();
        const { position, rate } = this.progress();
        logger.log(`rebuilding view ${projection.name}: at position ${position} of ${this.total} (${rate} positions/s)`);
      }
      await yieldToRequests();
    }
    this.deps.switchTo(target);
    this.resolveFinished();
  }

  private fail(error: unknown): void {
    this.failed = true;
    this.error = `rebuild failed at position ${this.deps.target.checkpoint.position}: ${error instanceof Error ? error.message : String(error)}`;
    this.deps.logger.error(`view ${this.deps.projection.name}: ${this.error}; the current generation keeps serving`);
    this.resolveFinished();
  }
}
