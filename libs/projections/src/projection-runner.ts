import { DomainError } from '@positions/domain';
import type { EventStore, StoredEvent, Unsubscribe } from '@positions/event-store';
import { classifySqliteError, takeWriteLock } from '@positions/event-store/sqlite';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { type Checkpoint, Checkpoints, suffixOf } from './checkpoints';
import { applyBatch, buildQueryIndexes, buildQueryIndexesBeside, type Generation, openGeneration } from './generation';
import type { Projection, RunnerLogger, ViewsDatabase } from './projection';
import { Rebuild, type RebuildProgress } from './rebuild';
import { VIEWS_BUSY_TIMEOUT_MS } from './views-database';
import { eventsAfter } from './lag';

export type ProjectionStatus = 'live' | 'rebuilding' | 'failed';

export interface ProjectionInfo {
  name: string;
  version: number;
  /** Global position of the last event the serving view has taken in. */
  position: number;
  /** How far the serving view is behind the log's last position. */
  lag: number;
  status: ProjectionStatus;
  /** Why the view failed, or why its last rebuild failed (the old view then keeps serving). */
  error: string | null;
  rebuild: RebuildProgress | null;
}

interface Entry {
  projection: Projection;
  /** Goes up with every batch holding an event of a type the view handles, and every switch of its generation. */
  changes: number;
  live: Generation;
  rebuild: Rebuild | null;
  /** A generation built in bulk beside the live one and fed instead of it, until `finishBuilds` switches to it (see `buildInBulk`). */
  bulk: Generation | null;
}

const quiet: RunnerLogger = { log: () => undefined, error: () => undefined };

/**
 * Feeds read models from the log. Each batch of each view is applied in one transaction
 * together with its checkpoint. Catch-ups are single-flight: a request that arrives while
 * one runs makes it go round once more, so no append is ever missed. Rebuilds fill a new
 * generation of tables in the background while the current one keeps answering, then switch.
 */
/** How often a long catch-up logs how far it is. */
const CATCH_UP_NOTE_MS = 5000;

export class ProjectionRunner {
  private readonly entries = new Map<string, Entry>();
  private readonly checkpoints: Checkpoints;
  private running: Promise<void> | null = null;
  /** `finishBuilds` building what the views' queries read: catch-ups wait for it. */
  private building: Promise<void> | null = null;
  private again = false;
  private unsubscribe: Unsubscribe | null = null;
  private poll: NodeJS.Timeout | null = null;
  /** Views another process builds anew in bulk, as the last catch-up found them (see `fed`). */
  private builtElsewhere = new Set<string>();
  /** The recordedAt (epoch ms) of the last event taken in, and whether the log had nothing after it when read. */
  private applied: { recordedAt: number; atHead: boolean } | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly db: ViewsDatabase,
    projections: readonly Projection[],
    private readonly logger: RunnerLogger = quiet,
    private readonly batchSize = 1000,
  ) {
    this.checkpoints = new Checkpoints(db);
    for (const projection of projections) this.entries.set(projection.name, this.openEntry(projection));
  }

  /**
   * Catches every view up with the log, resumes interrupted rebuilds, then follows the log:
   * notified of this process's appends, and polling every `pollMs` for other processes'
   * (a CLI import into the same store).
   */
  async start(pollMs = 1000): Promise<void> {
    const follow = () => this.catchUp().catch((error: unknown) => this.logger.error(`catch-up failed: ${String(error)}`));
    this.unsubscribe = this.store.subscribe(follow);
    if (pollMs > 0) this.poll = setInterval(follow, pollMs).unref();
    await this.catchUp();
    for (const entry of this.entries.values()) entry.rebuild?.run();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    for (const entry of this.entries.values()) entry.rebuild?.stop();
  }

  /**
   * Goes up whenever `view`'s answers may have changed (a batch with an event it handles, a
   * switch of its generation): anything cached from it before is stale. A statement leaves the
   * actors' and topics' listings as they were. A view the runner does not keep never changes.
   */
  versionOf(view: string): number {
    return this.entries.get(view)?.changes ?? 0;
  }

  /**
   * The record time (epoch ms) the views can stand behind: every event recorded by then has
   * been taken in, so a question "as known at" it answers now what it will always answer. The
   * recordedAt of the last event taken in, when nothing followed it in the log; a millisecond
   * before it while a batch of the same commit may still be unread. Null before anything.
   */
  knownThrough(): number | null {
    if (!this.applied) return null;
    return this.applied.atHead ? this.applied.recordedAt : this.applied.recordedAt - 1;
  }

  /** The table suffix of the generation that answers queries for `name`. */
  suffix(name: string): string {
    const { checkpoint } = this.entry(name).live;
    return suffixOf(checkpoint.name, checkpoint.version, checkpoint.generation);
  }

  /**
   * Picks up generations another process sharing the views file (a CLI rebuild) switched
   * to. Runs with every catch-up, and when a query finds its tables gone.
   */
  followSwitches(): void {
    for (const entry of this.entries.values()) this.followSwitch(entry);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  catchUp(): Promise<void> {
    if (this.building) return this.building.then(() => this.catchUp());
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
    for (let round = 0; round < 3 && this.lowestFedPosition() < position; round++) await this.catchUp();
  }

  /**
   * Starts building every view anew, in bulk (`Projection.open`), into a generation of its own
   * beside the serving one. From now on the catch-ups feed the new generations instead; the
   * serving ones keep answering as they stood (another process following the log may still feed
   * them). For a large import into a small record: taking the whole log in bulk is several times
   * faster than taking each new event into views that already hold rows (0041). `finishBuilds`
   * makes them serve. A view already being rebuilt (by this or another process), or failed, is
   * left as it is and fed as before.
   */
  buildInBulk(): void {
    for (const entry of this.entries.values()) {
      const { projection } = entry;
      if (entry.bulk || entry.rebuild || entry.live.error || this.checkpoints.build(projection.name)) continue;
      const checkpoint: Checkpoint = { name: projection.name, version: projection.version, generation: this.nextGeneration(entry), position: 0 };
      this.db.transaction(() => {
        this.checkpoints.saveBuild(checkpoint);
        this.checkpoints.saveBuilder(projection.name, process.pid);
      })();
      entry.bulk = openGeneration(this.db, projection, checkpoint, true);
      this.logger.log(`building view ${projection.name} in bulk (generation ${checkpoint.generation}) beside the one that serves`);
    }
  }

  /**
   * Catches the views `buildInBulk` started up with the log, builds what only queries read, and
   * switches each to serving (the generation it replaces is dropped). A view whose build fails
   * is dropped and its serving generation caught up instead. A build interrupted before this
   * (the process killed) is resumed, event by event, by the next runner that starts.
   */
  async finishBuilds(): Promise<void> {
    await this.catchUp();
    const building = this.buildBulkIndexes();
    // No catch-up meanwhile: the builds read and write the tables it would feed.
    this.building = building.then(
      () => undefined,
      () => undefined,
    );
    let built: [Entry, Generation][];
    try {
      built = await building;
    } finally {
      this.building = null;
    }
    // All at once, after the last index: a view switched earlier would be fed at once by the
    // service following the log, which then waited for the lock the next view's indexes held
    // (seconds, for search) and answered its writes after its patience ran out.
    for (const [entry] of built) entry.bulk = null;
    this.switchTo(built);
    // The views stand where their builds ended: read the last event's time again.
    this.applied = null;
    await this.catchUp();
  }

  /**
   * Builds what the queries of the views built in bulk read. A view that does part of it on a
   * thread of its own (`queryIndexesBeside`) starts first, and the others' are built meanwhile
   * (decision 0054). Returns the views built; a view whose build failed is dropped.
   */
  private async buildBulkIndexes(): Promise<[Entry, Generation][]> {
    const targets = [...this.entries.values()].flatMap((entry): [Entry, Generation][] => (entry.bulk ? [[entry, entry.bulk]] : []));
    const byThread = (entry: Entry) => (entry.projection.queryIndexesBeside ? 0 : 1);
    const started = [...targets]
      .sort(([a], [b]) => byThread(a) - byThread(b))
      .map(([entry, target]) => {
        this.logger.log(`view ${entry.projection.name}: building what its queries read`);
        const threadFailed = (error: unknown) =>
          this.logger.error(`view ${entry.projection.name}: its thread failed (${error instanceof Error ? error.message : String(error)}); what its queries read is built here instead`);
        return { entry, target, done: buildQueryIndexesBeside(this.db, entry.projection, target, threadFailed) };
      });
    const built: [Entry, Generation][] = [];
    for (const { entry, target, done } of started) {
      try {
        await done;
        built.push([entry, target]);
      } catch (error) {
        this.dropBulk(entry, error);
      }
    }
    // In the views' own order, as before.
    return targets.filter(([entry]) => built.some(([done]) => done === entry));
  }

  /**
   * Starts rebuilding `name` from the whole log into fresh tables, unless a rebuild already
   * runs; resolves with that rebuild's progress at once. `finished` resolves when it switched.
   */
  async rebuild(name: string): Promise<{ progress: RebuildProgress; finished: Promise<void> }> {
    const entry = this.entry(name);
    const builder = entry.bulk ? process.pid : this.builderElsewhere(name);
    if (!entry.rebuild && builder !== null) throw new BuildUnderWay(name, builder);
    const total = await this.store.lastPosition();
    if (!entry.rebuild || entry.rebuild.failed) {
      entry.rebuild?.discard();
      entry.rebuild = this.newRebuild(entry, this.nextGeneration(entry));
      entry.rebuild.run(total);
    }
    return { progress: entry.rebuild.progress(), finished: entry.rebuild.finished };
  }

  async info(): Promise<ProjectionInfo[]> {
    const last = await this.store.lastPosition();
    // Views at the same position share one count: each count reads up to LAG_COUNT_LIMIT events.
    const lags = new Map<number, Promise<number>>();
    const lagAfter = (position: number) => {
      let lag = lags.get(position);
      if (!lag) lags.set(position, (lag = eventsAfter(this.store, position, last)));
      return lag;
    };
    return Promise.all(
      [...this.entries.values()].map(async ({ projection, live, rebuild, bulk }) => ({
        name: projection.name,
        version: projection.version,
        position: live.checkpoint.position,
        lag: await lagAfter(live.checkpoint.position),
        status: live.error ? ('failed' as const) : (rebuild && !rebuild.failed) || bulk ? ('rebuilding' as const) : ('live' as const),
        error: live.error ?? rebuild?.progress().error ?? null,
        rebuild: rebuild ? rebuild.progress() : null,
      })),
    );
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new RangeError(`no view is named '${name}'`);
    return entry;
  }

  private openEntry(projection: Projection): Entry {
    const stored = this.checkpoints.live(projection.name);
    let checkpoint = stored;
    if (!stored || stored.version !== projection.version) {
      // New code cannot read an older version's tables: build the new version before serving.
      checkpoint = { name: projection.name, version: projection.version, generation: (stored?.generation ?? 0) + 1, position: 0 };
      this.checkpoints.saveLive(checkpoint);
      if (stored) {
        this.logger.log(`view ${projection.name} is at version ${stored.version}, the code at ${projection.version}: rebuilding it from the log`);
        projection.drop(this.db, suffixOf(stored.name, stored.version, stored.generation));
      }
    }
    // Nothing is served before the first catch-up: an empty view gets its query indexes after it.
    const live = openGeneration(this.db, projection, checkpoint as Checkpoint, (checkpoint as Checkpoint).position === 0);
    const entry: Entry = { projection, changes: 0, live, rebuild: null, bulk: null };
    const build = this.checkpoints.build(projection.name);
    // A build in bulk by a process still running: its staged rows are its own to settle (0041).
    if (build && this.builderElsewhere(projection.name) !== null) return entry;
    // Or by one that died: resumed here, event by event (opening it settles what it staged).
    if (this.checkpoints.builder(projection.name) !== null) this.checkpoints.endBuilder(projection.name);
    if (build && build.version === projection.version) entry.rebuild = this.newRebuild(entry, build.generation, build);
    else if (build) {
      // A rebuild of an older version, interrupted: its tables serve no one now.
      projection.drop(this.db, suffixOf(build.name, build.version, build.generation));
      this.checkpoints.endBuild(projection.name);
    }
    return entry;
  }

  private openGeneration(projection: Projection, checkpoint: Checkpoint): Generation {
    return openGeneration(this.db, projection, checkpoint);
  }

  /** The process building `name` in bulk, while it runs (a build of a process that died is anyone's to resume). */
  private builderElsewhere(name: string): number | null {
    const pid = this.checkpoints.builder(name);
    return pid !== null && processRuns(pid) ? pid : null;
  }

  private nextGeneration(entry: Entry): number {
    return Math.max(entry.live.checkpoint.generation, entry.rebuild?.generation ?? 0, entry.bulk?.checkpoint.generation ?? 0) + 1;
  }

  private newRebuild(entry: Entry, generation: number, resumeFrom?: Checkpoint): Rebuild {
    const { projection } = entry;
    const checkpoint = resumeFrom ?? { name: projection.name, version: projection.version, generation, position: 0 };
    return new Rebuild({
      store: this.store,
      db: this.db,
      checkpoints: this.checkpoints,
      projection,
      target: this.openGeneration(projection, checkpoint),
      batchSize: this.batchSize,
      logger: this.logger,
      switchTo: (target) => this.switchTo([[entry, target]]),
    });
  }

  /**
   * Makes each target (a finished rebuild, or the views an import built in bulk) serve in place
   * of its entry's serving generation, all in one transaction (another process following the
   * log sees them switch together), then drops the tables they replace.
   */
  private switchTo(switches: readonly (readonly [Entry, Generation])[]): void {
    if (switches.length === 0) return;
    this.db.transaction(() => {
      for (const [entry, target] of switches) {
        this.checkpoints.saveLive(target.checkpoint);
        this.checkpoints.endBuild(entry.projection.name);
      }
    })();
    for (const [entry, target] of switches) {
      const old = entry.live.checkpoint;
      entry.live = target;
      entry.rebuild = null;
      entry.changes++;
      entry.projection.drop(this.db, suffixOf(old.name, old.version, old.generation));
      this.logger.log(`view ${entry.projection.name} rebuilt: generation ${target.checkpoint.generation} now answers`);
    }
  }

  /** The lowest position of the generations the catch-ups feed: the live ones, or those built in bulk instead. */
  private lowestFedPosition(): number {
    const fed = [...this.entries.values()].filter((e) => this.fed(e)).map((e) => (e.bulk ?? e.live).checkpoint.position);
    return fed.length ? Math.min(...fed) : Number.POSITIVE_INFINITY;
  }

  /**
   * Whether catch-ups feed `entry`: not once it failed, nor while another process builds it anew
   * in bulk (an import, decision 0041). Its serving generation then answers as it stood, as on the
   * importing process, until that process switches to the new one, which this one follows and
   * feeds from there: taking the import's events into tables about to be dropped cost this
   * process's requests their turns and the import its pace, both writing the one views file.
   */
  private fed(entry: Entry): boolean {
    return !entry.live.error && !this.builtElsewhere.has(entry.projection.name);
  }

  private async drain(): Promise<void> {
    this.followSwitches();
    // One look at a table that is empty but during a build in bulk: a catch-up runs with every append.
    this.builtElsewhere = new Set(this.checkpoints.builders().flatMap(({ name, pid }) => (this.entries.get(name)?.bulk || !processRuns(pid) ? [] : [name])));
    const group = new GroupCommit(this.db);
    let failure: { error: unknown } | null = null;
    try {
      await this.drainBatches(group);
    } catch (error) {
      failure = { error };
    }
    try {
      group.commit();
    } catch (error) {
      failure ??= { error };
    }
    if (!failure) return;
    // Batches the file did not keep (a full disk) moved positions on in memory: they go back to
    // what the file holds, so the next catch-up takes those events in again instead of skipping them.
    this.positionsAsStored();
    throw failure.error;
  }

  /** Each generation's position as its checkpoint in the views file has it; what was cached from a lost batch is stale. */
  private positionsAsStored(): void {
    for (const entry of this.entries.values()) {
      entry.changes++;
      const { projection, live, bulk } = entry;
      const stored = [
        [live, this.checkpoints.live(projection.name)],
        [bulk, this.checkpoints.build(projection.name)],
      ] as const;
      for (const [generation, checkpoint] of stored) {
        if (generation && checkpoint?.generation === generation.checkpoint.generation) generation.checkpoint = checkpoint;
      }
    }
  }

  private async drainBatches(group: GroupCommit): Promise<void> {
    let lastNote = Date.now();
    for (;;) {
      const after = this.lowestFedPosition();
      if (!Number.isFinite(after)) return;
      const buildingHere = [...this.entries.values()].some((entry) => entry.bulk);
      // Views built anew, here or elsewhere: the serving ones do not take the log in meanwhile.
      const building = buildingHere || this.builtElsewhere.size > 0;
      const bulk = buildingHere || [...this.entries.values()].some((entry) => entry.live.bulk && !entry.live.error);
      const events = await this.store.readAll({ after, limit: this.batchSize });
      if (events.length === 0) {
        group.commit();
        this.buildPendingIndexes();
        // Views built in bulk beside the serving ones: the serving ones did not take the log in.
        return building ? undefined : this.reachedHead(after);
      }
      await group.begin(bulk);
      const types = new Set(events.map((event) => event.type));
      for (const entry of this.entries.values()) if (entry.projection.handles.some((type) => types.has(type))) entry.changes++;
      // One commit for every view; each view in its own savepoint, so one failing leaves the rest.
      this.db.transaction(() => {
        for (const entry of this.entries.values()) {
          if (!this.fed(entry)) continue;
          if (entry.bulk) this.applyBulk(entry, entry.bulk, events);
          else this.applyLive(entry, events);
        }
      })();
      // Views built in bulk beside the serving ones: these did not take the batch in.
      if (!building) this.applied = { recordedAt: Date.parse(events[events.length - 1].recordedAt), atHead: events.length < this.batchSize };
      group.afterBatch();
      if (events.length < this.batchSize) continue;
      // A full batch: more may follow (another process's import, a view built anew). Requests and
      // timers get a turn between batches, and a long catch-up says how far it is.
      await yieldToRequests();
      if (Date.now() - lastNote >= CATCH_UP_NOTE_MS) {
        lastNote = Date.now();
        this.logger.log(`views catching up: at position ${events[events.length - 1].position} of ${await this.store.lastPosition()}`);
      }
    }
  }

  private buildPendingIndexes(): void {
    for (const entry of this.entries.values()) {
      if (!entry.live.indexesPending || entry.live.error) continue;
      try {
        buildQueryIndexes(this.db, entry.projection, entry.live);
      } catch (error) {
        entry.live.error = `building its indexes: ${error instanceof Error ? error.message : String(error)}`;
        this.logger.error(`view ${entry.projection.name} failed and stopped: ${entry.live.error}`);
      }
    }
  }

  /** Nothing after `position`: the views stand behind its recordedAt (read once, at start-up, when nothing new came). */
  private async reachedHead(position: number): Promise<void> {
    if (this.applied) {
      this.applied.atHead = true;
      return;
    }
    if (position <= 0) return;
    const [last] = await this.store.readAll({ after: position - 1, limit: 1 });
    if (last) this.applied = { recordedAt: Date.parse(last.recordedAt), atHead: true };
  }

  /** Another process switched this view to a newer generation: serve and feed that one. */
  private followSwitch(entry: Entry): void {
    const stored = this.checkpoints.live(entry.projection.name);
    if (stored && stored.version === entry.projection.version && stored.generation > entry.live.checkpoint.generation) {
      entry.changes++;
      entry.live = this.openGeneration(entry.projection, stored);
      if (entry.rebuild?.generation === stored.generation) {
        entry.rebuild.stop();
        entry.rebuild = null;
      }
    }
  }

  private applyBulk(entry: Entry, target: Generation, events: readonly StoredEvent[]): void {
    try {
      applyBatch(this.db, this.checkpoints, { generation: target, projection: entry.projection, kind: 'build' }, events);
    } catch (error) {
      this.dropBulk(entry, error);
    }
  }

  /** A build in bulk failed: its tables go, and the serving generation is fed again from where it stood. */
  private dropBulk(entry: Entry, error: unknown): void {
    const target = entry.bulk;
    if (!target) return;
    entry.bulk = null;
    const { checkpoint } = target;
    this.logger.error(
      `view ${entry.projection.name}: building it in bulk failed at position ${checkpoint.position} (${error instanceof Error ? error.message : String(error)}); the serving generation is fed instead`,
    );
    this.db.transaction(() => {
      entry.projection.drop(this.db, suffixOf(checkpoint.name, checkpoint.version, checkpoint.generation));
      this.checkpoints.endBuild(entry.projection.name);
    })();
  }

  private applyLive(entry: Entry, events: readonly StoredEvent[]): void {
    try {
      this.followSwitch(entry);
      applyBatch(this.db, this.checkpoints, { generation: entry.live, projection: entry.projection, kind: 'live' }, events);
    } catch (error) {
      // The views file cannot be written now (a full disk): the batch is undone and tried again by a later catch-up.
      if (classifySqliteError(error).kind === 'unavailable') throw error;
      entry.live.error = `events ${events[0].position}..${events[events.length - 1].position}: ${error instanceof Error ? error.message : String(error)}`;
      this.logger.error(`view ${entry.projection.name} failed and stopped: ${entry.live.error}`);
    }
  }
}

/** Whether process `pid` runs on this machine (the views file is local to it): EPERM means it runs as another user. */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A rebuild asked of a view that another process (an import) is building anew in bulk: it switches when that ends. */
export class BuildUnderWay extends DomainError {
  readonly code = 'PROJECTION.BUILD_UNDER_WAY';
  readonly kind = 'already-exists';
  constructor(name: string, pid: number) {
    super(`view '${name}' is being built anew by another process (pid ${pid}, an import); it answers from the new build once that ends`, 'name');
  }
}

/** How long batches of views built in bulk share one commit. */
const GROUP_MS = 1000;

/**
 * The write transaction of a catch-up's batches. A batch of the serving views commits at once.
 * While a view is built in bulk (nothing reads it before its first catch-up ends), the batches
 * of up to `GROUP_MS` share one commit, each batch still in its own savepoint with its
 * checkpoint: a page that many batches write (the last page of each table, the pages of an
 * index `apply` reads that rows land on all over) is then written once for all of them instead
 * of once a batch. Short, so that another process waiting for the views file's write lock
 * (busy_timeout 5 s) gets its turn.
 */
class GroupCommit {
  private since: number | null = null;
  private bulk = false;

  constructor(private readonly db: ViewsDatabase) {}

  /** Before a batch: takes the write lock unless the group holds it, waiting without blocking the event loop. */
  async begin(bulk: boolean): Promise<void> {
    if (this.since !== null) return;
    // False: a transaction of this connection is open (a rebuild's batch that took the lock); the batch joins it.
    if (!(await takeWriteLock(this.db, VIEWS_BUSY_TIMEOUT_MS))) return;
    this.since = Date.now();
    this.bulk = bulk;
  }

  /** After a batch: commits it, or, built in bulk, the group once it has lasted `GROUP_MS`. */
  afterBatch(): void {
    if (this.since !== null && (!this.bulk || Date.now() - this.since >= GROUP_MS)) this.commit();
  }

  /** Commits the group; throws when the file did not keep it (the commit failed, or SQLite rolled it back itself). */
  commit(): void {
    if (this.since === null) return;
    this.since = null;
    // Some failures (a full disk) make SQLite roll the transaction back itself.
    if (!this.db.inTransaction) throw new Error('the views file rolled the batches back (see the error before)');
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }
}
