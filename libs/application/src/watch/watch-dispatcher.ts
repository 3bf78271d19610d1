import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import type { EventStore, Unsubscribe } from '@positions/event-store';
import { identityOf, type StoreIdentity, WatchCheckpoint, type WatchStateRow } from '@positions/projections';
import { EVENT_STORE } from '../tokens';
import { MessageDeriver, type PartKey, type StatePart, type StreamData, type StreamSource } from './message-deriver';
import type { WatchMessage } from './watch-messages';

/**
 * Events read from the log at a time, while catching up or following: each page is read and
 * applied in one turn of the event loop. Beside an import writing the same files, a page of 1,000
 * took up to 0.3 s to read and apply.
 */
const PAGE = 250;
/** Messages kept in memory for clients resuming a little behind; older ones are re-derived from the log. */
export const RECENT_MESSAGES = 10_000;
/** The checkpoint is saved at most this often while reading (and on shutdown): each save writes only what changed. */
export const SAVE_EVERY_MS = 10_000;
/** Bump when the deriver's parts change shape: a checkpoint of another format is dropped and the log read from its start. */
const CHECKPOINT_FORMAT = 1;
/** State rows loaded at a time from the checkpoint, other work let in between. */
const LOAD_PAGE = 5000;
/**
 * Position streams kept in memory after a save, the ones used last: the others are read back
 * from the checkpoint when an event needs them (docs/decisions/0051-watch-streams-paged.md).
 */
export const STREAMS_KEPT = 50_000;
/** Streams changed since the last save beyond which the next save comes early (`SAVE_SOON_MS` after the last) rather than `SAVE_EVERY_MS`. */
export const UNSAVED_STREAMS = 100_000;
const SAVE_SOON_MS = 1000;

/** The dispatcher's `WatchCheckpoint` (its own SQLite file); without one, every start reads the log from its start. */
export const WATCH_CHECKPOINT = Symbol('WATCH_CHECKPOINT');

export type MessageListener = (messages: readonly WatchMessage[]) => void;

const yieldToOthers = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The one reader of the log for watchers: derives messages in log order and fans them out to
 * every stream client and webhook worker, so a thousand clients cost one subscription.
 * It starts from its checkpoint in the views database and catches up in the background: the
 * service answers meanwhile, and `position` says how far the messages have been derived.
 */
@Injectable()
export class WatchDispatcher implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Watch');
  private deriver = new MessageDeriver();
  private readonly listeners = new Set<MessageListener>();
  private identity: StoreIdentity | null = null;
  private recent: WatchMessage[] = [];
  /** Messages derived since the checkpoint was last saved. */
  private unsaved: WatchMessage[] = [];
  /** When the checkpoint was last saved (performance.now); never yet: the first page read is saved. */
  private savedAt = Number.NEGATIVE_INFINITY;
  /** How many messages stay in memory (lowered in tests to reach the re-derivation). */
  recentLimit = RECENT_MESSAGES;
  /** The least time between two saves while reading (lowered in tests to save after every page). */
  saveEveryMs = SAVE_EVERY_MS;
  /** Position streams kept in memory after each save, with a checkpoint (lowered in tests). */
  streamsKept = STREAMS_KEPT;
  /** Streams changed since the last save beyond which the next comes soon (lowered in tests). */
  unsavedLimit = UNSAVED_STREAMS;
  /** Messages at or below this position are no longer in `recent`. */
  private forgottenThrough = 0;
  private unsubscribe: Unsubscribe | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private started: Promise<void> = Promise.resolve();
  /** Settles when the re-derivation running (or last queued) is over: see `replay`. */
  private rederiving: Promise<void> = Promise.resolve();
  /** Log events read and applied since this dispatcher started (a restart from a checkpoint reads only what came after it). */
  eventsRead = 0;

  /** Position streams the dispatcher holds in memory: with a checkpoint, at most `streamsKept` beyond those changed since the last save. */
  get streamsInMemory(): number {
    return this.deriver.streamsInMemory;
  }

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(WATCH_CHECKPOINT) private readonly checkpoint: WatchCheckpoint | null = null,
  ) {}

  /** The log position through which messages have been derived and sent to listeners. */
  get position(): number {
    return this.deriver.position;
  }

  /** Starts catching up in the background: the service does not wait for it. */
  onModuleInit(): void {
    this.started = this.start().catch((error: unknown) => this.logger.error(`watching the log failed to start: ${String(error)}`));
  }

  /** Resolves once the log, as it stood when called, has been read. */
  async caughtUp(): Promise<void> {
    await this.started;
    await this.reading;
  }

  /** Stops reading, and saves where it stands (before the store closes: a store still empty is asked for its first event). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stop();
    await this.started;
    await this.reading;
    try {
      await this.save();
    } finally {
      this.checkpoint?.close();
    }
  }

  onApplicationShutdown(): void {
    this.stop();
    this.listeners.clear();
    this.checkpoint?.close();
  }

  /** The last position of the log: a client without `Last-Event-ID` is sent what comes after it. */
  head(): Promise<number> {
    return this.store.lastPosition();
  }

  /** Calls `listener` with each new batch of messages, in log order, until unsubscribed. */
  listen(listener: MessageListener): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Messages with `after < position <= through`, in order (see `replay`). */
  async between(after: number, through: number): Promise<WatchMessage[]> {
    const found: WatchMessage[] = [];
    await this.replay(after, through, (messages) => {
      for (const message of messages) found.push(message);
      return true;
    });
    return found;
  }

  /**
   * Hands `take` the messages with `after < position <= through`, in order, until it answers
   * false: at once when they are recent, else re-derived from the log a page at a time, between
   * pauses. A client resuming from far back re-derives the log from its start: in one turn, that
   * held the service for the whole log, and gathered every message before the first was sent.
   * `take` may be slow (a webhook delivers a page before the next is read): the messages of one
   * log position always come in the same page.
   *
   * Re-derivations wait their turn, one at a time in order: each holds a state of the whole
   * record (~0.5 GiB at 1,000,000 statements), and a few stream clients resuming from far back at
   * once would exhaust the heap. `queued: false` derives at once, outside the queue: for a
   * webhook worker, which delivers as slowly as its receiver answers (retrying for up to a day)
   * and must not hold the clients up; webhooks are few, registered by an admin.
   */
  async replay(after: number, through: number, take: (messages: WatchMessage[]) => boolean | Promise<boolean>, { queued = true } = {}): Promise<void> {
    if (after >= this.forgottenThrough) {
      await take(this.recent.filter((m) => m.position > after && m.position <= through));
      return;
    }
    if (!queued) return this.rederive(after, through, take);
    const previous = this.rederiving;
    let done!: () => void;
    this.rederiving = new Promise((resolve) => (done = resolve));
    await previous;
    try {
      await this.rederive(after, through, take);
    } finally {
      done();
    }
  }

  /**
   * Derives the messages from the log's start with a state of its own. The service's (which has
   * a checkpoint) keeps that state's streams in a scratch file as the dispatcher keeps its own
   * in the checkpoint, so a far-behind client holds `streamsKept` streams in memory, not the
   * record's (~350 MiB at 1,000,000 statements).
   */
  private async rederive(after: number, through: number, take: (messages: WatchMessage[]) => boolean | Promise<boolean>): Promise<void> {
    const deriver = new MessageDeriver();
    const scratch = this.checkpoint ? WatchCheckpoint.scratch() : null;
    if (scratch) deriver.readFrom(streamsIn(scratch));
    let spilling = scratch !== null;
    try {
      while (deriver.position < through) {
        const page = await this.store.readAll({ after: deriver.position, limit: PAGE });
        if (page.length === 0) return;
        const messages: WatchMessage[] = [];
        for (const event of page) {
          if (event.position > through) break;
          for (const message of deriver.apply(event)) if (message.position > after) messages.push(message);
        }
        if (!(await take(messages)) || page.at(-1)!.position >= through) return;
        if (scratch && spilling && deriver.unsavedStreams >= this.unsavedLimit) {
          // Only streams are ever read back; the other parts stay in memory.
          const streams = deriver.takeChangedKeys().filter((key) => key.kind === 'stream');
          const head = { position: deriver.position, forgottenThrough: 0 };
          try {
            await saveState(scratch, deriver, { identity: SCRATCH, format: CHECKPOINT_FORMAT, head }, streams, [], this.streamsKept);
          } catch (error) {
            // Slower on the heap, never wrong: what it saved before is still read back, the rest stays in memory.
            deriver.retake(streams);
            spilling = false;
            this.logger.warn(`a re-derivation keeps its whole state in memory: its scratch file failed (${String(error)})`);
          }
        }
        await yieldToOthers();
      }
    } finally {
      scratch?.close();
    }
  }

  private stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private async start(): Promise<void> {
    await this.restore();
    if (this.stopped) return;
    const checkpoint = this.checkpoint;
    // Restored or empty, the checkpoint holds every stream the deriver has applied as of its position.
    if (checkpoint) this.deriver.readFrom(streamsIn(checkpoint));
    this.unsubscribe = this.store.subscribe(() => void this.follow());
    await this.follow();
  }

  /** Loads the checkpoint, when there is one from this log: reading then goes on from its position. */
  private async restore(): Promise<void> {
    if (!this.checkpoint) return;
    this.identity = await identityOf(this.store);
    try {
      await this.load(this.checkpoint, this.identity);
    } catch (error) {
      // Slower, never wrong: the messages are derived from the log's start again.
      this.logger.warn(`the watch checkpoint could not be loaded (${String(error)}): reading the log from its start`);
      this.checkpoint.clear();
    }
  }

  private async load(checkpoint: WatchCheckpoint, identity: StoreIdentity): Promise<void> {
    const began = performance.now();
    const head = checkpoint.read(identity, CHECKPOINT_FORMAT);
    if (!head) return;
    // Ahead of the log (an older backup put back): its state holds events the log no longer has.
    if (head.position > (await this.store.lastPosition())) return checkpoint.clear();
    const deriver = new MessageDeriver();
    deriver.position = head.position;
    let parts = 0;
    // Streams by their keys only (which topics each actor speaks on): each is read back when an event needs it.
    for (let rows = checkpoint.rows(null, LOAD_PAGE, 'stream'); rows.length > 0; rows = checkpoint.rows(rows.at(-1)!, LOAD_PAGE, 'stream')) {
      for (const row of rows) {
        if (row.data === null) deriver.restoreKey(row.key, head.position);
        else deriver.restore({ kind: row.kind, key: row.key, data: JSON.parse(row.data) } as StatePart, head.position);
      }
      parts += rows.length;
      await yieldToOthers();
      if (this.stopped) return;
    }
    this.recent = checkpoint.messages().map((data) => JSON.parse(data) as WatchMessage);
    this.deriver = deriver;
    this.forgottenThrough = head.forgottenThrough;
    this.savedAt = performance.now();
    this.logger.log(`resumed from the checkpoint at log position ${head.position} (${parts} parts) in ${Math.round(performance.now() - began)} ms`);
  }

  /** Reads what the log has beyond `position`; one reading at a time, repeated when notified meanwhile. */
  private follow(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.readToEnd()
      .catch((error: unknown) => this.logger.error(`reading the log for watchers failed: ${String(error)}`))
      .finally(() => {
        this.reading = null;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.follow();
        }
      });
    return this.reading;
  }

  private async readToEnd(): Promise<void> {
    while (!this.stopped) {
      const page = await this.store.readAll({ after: this.deriver.position, limit: PAGE });
      if (page.length === 0 || this.stopped) break;
      this.eventsRead += page.length;
      const messages = page.flatMap((event) => this.deriver.apply(event));
      if (messages.length > 0) this.publish(messages);
      if (this.saveDue()) await this.save();
      // Between pages, let requests in: catching up with a long log must not stall the service.
      await yieldToOthers();
    }
    if (this.saveDue()) await this.save();
  }

  /** Every `saveEveryMs`; sooner when many streams wait to be saved (they stay in memory until they are). */
  private saveDue(): boolean {
    const since = performance.now() - this.savedAt;
    return since >= this.saveEveryMs || (this.deriver.unsavedStreams >= this.unsavedLimit && since >= SAVE_SOON_MS);
  }

  /** Writes what changed since the last save: state parts, new messages, the position. */
  private async save(): Promise<void> {
    if (!this.checkpoint || this.deriver.position === 0) return;
    // A store that was empty at start has a first event now: the checkpoint must name it.
    if (!this.identity?.firstEvent) this.identity = await identityOf(this.store);
    const head = { position: this.deriver.position, forgottenThrough: this.forgottenThrough };
    const [parts, unsaved] = [this.deriver.takeChangedKeys(), this.unsaved];
    this.unsaved = [];
    try {
      // Nothing is applied while the save runs (reading waits for it), so every part stands at `head.position`.
      await saveState(this.checkpoint, this.deriver, { identity: this.identity, format: CHECKPOINT_FORMAT, head }, parts, unsaved, this.streamsKept);
    } catch (error) {
      // Nothing of it was written: it goes with the next save, or a restart reads from the last one.
      this.deriver.retake(parts);
      this.unsaved = [...unsaved, ...this.unsaved];
      this.logger.warn(`the watch checkpoint could not be saved: ${String(error)}`);
    }
    this.savedAt = performance.now();
  }

  private publish(messages: WatchMessage[]): void {
    this.recent.push(...messages);
    this.unsaved.push(...messages);
    if (this.recent.length > this.recentLimit) {
      const cut = this.recent.length - this.recentLimit;
      this.forgottenThrough = this.recent[cut - 1].position;
      this.recent = this.recent.slice(cut);
      this.unsaved = this.unsaved.filter((m) => m.position > this.forgottenThrough);
    }
    for (const listener of this.listeners) {
      // One failing client must not keep the messages from the others.
      try {
        listener(messages);
      } catch (error) {
        this.logger.warn(`a watcher failed: ${String(error)}`);
      }
    }
  }
}

/** The identity a scratch checkpoint is saved under: it belongs to no log and is never loaded. */
const SCRATCH: StoreIdentity = { kind: 'scratch', firstEvent: null };

/** A checkpoint's streams as a deriver reads them back (`MessageDeriver.readFrom`). */
function streamsIn(checkpoint: WatchCheckpoint): StreamSource {
  return (key) => {
    const data = checkpoint.part('stream', key);
    return data === null ? null : (JSON.parse(data) as StreamData);
  };
}

/**
 * Saves `keys` of `deriver`'s state (each part made as the save reaches it, a page at a time) with
 * `messages` into `checkpoint`, then keeps only `keep` saved streams in memory: the others are in
 * the checkpoint as they stand. Throws, having dropped nothing, when nothing was saved.
 */
async function saveState(
  checkpoint: WatchCheckpoint,
  deriver: MessageDeriver,
  saved: Parameters<WatchCheckpoint['save']>[0],
  keys: readonly PartKey[],
  messages: readonly WatchMessage[],
  keep: number,
): Promise<void> {
  const toRow = (key: PartKey): WatchStateRow => {
    const part = deriver.part(key);
    return { kind: part.kind, key: part.key, data: JSON.stringify(part.data) };
  };
  if (!(await checkpoint.save(saved, keys, toRow, messages, yieldToOthers))) throw new Error('its file is closed');
  deriver.forgetSaved(keep);
}
