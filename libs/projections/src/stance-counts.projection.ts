import { parseStream, type PositionEvent, recordedRange, startInstant, toDomainEvent } from '@positions/domain';
import type { StoredEvent } from '@positions/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentTable } from './document-view';
import { BUILD_CACHE_KIB, BUILD_SORT_THREADS } from './generation';
import { moduleBeside, moduleThread } from './module-thread';
import type { Projection, ViewsDatabase } from './projection';
import { BLOCK_DAYS, blockChangesSql, countTablesSql, deriveBlocksSql, deriveDeltasSql } from './stance-counts.sql';
import type { StanceThreadData, StanceThreadReply } from './stance-counts.thread';
import type { ViewReader } from './view-reader';

export const STANCE_COUNTS_VIEW = 'stance-counts';
const DAY = 86_400_000;

const statementsTable = (suffix: string) => `stance_statements${suffix}`;
const deltasTable = (suffix: string) => `stance_deltas${suffix}`;
const blocksTable = (suffix: string) => `stance_blocks${suffix}`;
/** What a view built in bulk was told, in log order, until `settleStaged` keys it (see there). */
const stagedTable = (suffix: string) => `stance_staged${suffix}`;
/** Version 4 kept one row per day that changed; its old generations are dropped by name. */
const daysTable = (suffix: string) => `stance_days${suffix}`;

/** The block of a day (days since the epoch), rounded down before 1970 too. */
const blockOf = (day: number) => Math.floor(day / BLOCK_DAYS);

/**
 * The view behind `GET /api/topics/{t}/stance-counts`, as changes of the counts per day:
 * when an actor's stance at the end of day d changes from A to B, the topic's count of A
 * goes down by one on d and B's up by one. The count of a stance on a day is then the sum
 * of its changes up to that day, so a question's cost grows with the days asked (and the
 * days on which anything changed before them), never with actors × statements.
 *
 * Beside the changes it keeps each statement that counts (not retracted) with its day and
 * stance, so an event moves the counts by looking at one actor's neighbouring statements
 * through an index, never by refolding the actor's history.
 */
export const stanceCountsProjection: Projection = stanceCounts();

/** The view; `scratchDir`: where the thread of `queryIndexesBeside` writes the changes of counts it derives (tests make it fail). */
export function stanceCounts(scratchDir = tmpdir()): Projection {
  return {
    name: STANCE_COUNTS_VIEW,
    version: 5,
    handles: ['PositionStated', 'StatementCorrected', 'StatementRetracted'],
    open(db: ViewsDatabase, suffix: string, bulk = false) {
      createTables(db, suffix);
      if (!bulk) deriveCounts(db, suffix);
      const table = new StanceTables(db, suffix);
      const stage = bulk ? stagedWrites(db, suffix) : null;
      const apply = (stored: StoredEvent) => {
        const ref = parseStream(stored.streamId);
        if (ref?.kind !== 'position') return;
        const actor = { topicId: ref.topicId, actorId: ref.actorId };
        const says = whatItSays(toDomainEvent<PositionEvent>(stored), stored);
        if (!says) return;
        if (stage) return stage(actor, says);
        if (says.kind === 'stated') return table.change(actor, null, says.statement);
        const before = table.statement(actor, says.statementId);
        if (before) table.change(actor, before, changed(before, says));
      };
      return Object.assign(apply, { flush: () => table.flush() });
    },
    queryIndexes(db: ViewsDatabase, suffix: string) {
      deriveCounts(db, suffix);
    },
    queryIndexesBeside(db: ViewsDatabase, suffix: string) {
      return deriveCountsBeside(db, suffix, scratchDir);
    },
    drop(db: ViewsDatabase, suffix: string) {
      const tables = [statementsTable, deltasTable, daysTable, blocksTable, stagedTable].map((table) => table(suffix));
      db.exec(tables.map((table) => `DROP TABLE IF EXISTS ${table};`).join(' '));
      // Version 1 kept one JSON document per actor and topic.
      db.exec(`DROP TABLE IF EXISTS ${documentTable(STANCE_COUNTS_VIEW, suffix)}`);
    },
  };
}

function createTables(db: ViewsDatabase, suffix: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${statementsTable(suffix)} (
    topic_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    statement_id TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    earliest_ms INTEGER NOT NULL,
    position INTEGER NOT NULL,
    stance TEXT NOT NULL,
    PRIMARY KEY (topic_id, actor_id, statement_id)
  ) WITHOUT ROWID;
  ${countTablesSql(deltasTable(suffix), blocksTable(suffix))}`);
}

/**
 * What an event says of one statement that counts: stated (all of it), or a change to it made at
 * `position`: corrected (a new stance, or a new range of its statedOn, clipped at the moment the
 * correction recorded it, as the fold does; undefined: unchanged) or retracted.
 */
type Change = { kind: 'corrected' | 'retracted'; position: number; statementId: string; atMs?: number; earliestMs?: number; stance?: string };
type Says = { kind: 'stated'; statement: Counted } | Change;

/** Null: nothing that moves a count. */
function whatItSays(event: PositionEvent, stored: StoredEvent): Says | null {
  const { statementId } = event.data;
  const { position } = stored;
  const recordedAt = () => startInstant(stored.recordedAt, 'recordedAt');
  if (event.type === 'PositionStated') return { kind: 'stated', statement: { statementId, ...rangeOf(event.data.statedOn, recordedAt()), position, stance: event.data.stance } };
  if (event.type === 'StatementRetracted') return { kind: 'retracted', position, statementId };
  const { stance, statedOn } = event.data.changes;
  if (stance === undefined && statedOn === undefined) return null;
  return { kind: 'corrected', position, statementId, ...(stance !== undefined && { stance }), ...(statedOn !== undefined && rangeOf(statedOn, recordedAt())) };
}

/** The statement as `change` leaves it (null: retracted). */
function changed(before: Counted, { kind, atMs, earliestMs, stance }: Change): Counted | null {
  if (kind === 'retracted') return null;
  return { ...before, ...(stance !== undefined && { stance }), ...(atMs !== undefined && earliestMs !== undefined && { atMs, earliestMs }) };
}

/** Appends what an event says of a statement to the staged rows, in log order (a view built in bulk). */
function stagedWrites(db: ViewsDatabase, suffix: string): (actor: ActorOnTopic, says: Says) => void {
  // In log order: position is the event's; at_ms, earliest_ms and stance what it says (null: unchanged).
  db.exec(`CREATE TABLE IF NOT EXISTS ${stagedTable(suffix)} (
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    statement_id TEXT NOT NULL,
    at_ms INTEGER,
    earliest_ms INTEGER,
    stance TEXT
  )`);
  const append = db.prepare(`INSERT INTO ${stagedTable(suffix)} (position, kind, topic_id, actor_id, statement_id, at_ms, earliest_ms, stance) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  return ({ topicId, actorId }, says) => {
    const { position, statementId, atMs, earliestMs, stance } = says.kind === 'stated' ? says.statement : says;
    append.run(position, says.kind, topicId, actorId, statementId, atMs ?? null, earliestMs ?? null, stance ?? null);
  };
}

/** Staged rows taken per read while the corrections and retractions are replayed. */
const REPLAY_PAGE = 10_000;

/**
 * Moves what a view built in bulk staged into its statements table, as `apply` would have
 * written it event by event. The statements are keyed by topic, actor and statement id, and ids
 * are random: one insert per event lands on a random page of a table larger than the page
 * cache (about a fifth of a rebuild of 1,000,000 statements, and most of its commits). Staged in
 * log order instead, they go in with one sorted `INSERT … SELECT`; the first statement of an id
 * wins, as `INSERT OR IGNORE` keeps it event by event. Corrections and retractions are then
 * replayed in log order, each on the statement as it then stood, one that comes before its
 * statement in the log left out as `apply` leaves it out. The staged rows are dropped in the same
 * transaction as they are moved, so none is ever applied twice.
 */
function settleStaged(db: ViewsDatabase, suffix: string): void {
  const staged = stagedTable(suffix);
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(staged)) return;
  db.exec(`INSERT OR IGNORE INTO ${statementsTable(suffix)} (topic_id, actor_id, statement_id, at_ms, earliest_ms, position, stance)
    SELECT topic_id, actor_id, statement_id, at_ms, earliest_ms, position, stance FROM ${staged} WHERE kind = 'stated'
    ORDER BY topic_id, actor_id, statement_id, position`);
  type Row = { rowid: number; position: number; kind: Change['kind']; topicId: string; actorId: string; statementId: string; atMs: number | null; earliestMs: number | null; stance: string | null };
  const page = db.prepare(`SELECT rowid, position, kind, topic_id AS topicId, actor_id AS actorId, statement_id AS statementId, at_ms AS atMs,
    earliest_ms AS earliestMs, stance FROM ${staged} WHERE rowid > ? AND kind <> 'stated' ORDER BY rowid LIMIT ${REPLAY_PAGE}`);
  const table = new StanceTables(db, suffix);
  for (let rows = page.all(0) as Row[]; rows.length > 0; rows = page.all(rows[rows.length - 1].rowid) as Row[]) {
    for (const { topicId, actorId, atMs, earliestMs, stance, ...row } of rows) {
      const actor = { topicId, actorId };
      const before = table.statement(actor, row.statementId);
      if (!before || before.position > row.position) continue;
      table.replace(actor, before, changed(before, { ...row, atMs: atMs ?? undefined, earliestMs: earliestMs ?? undefined, stance: stance ?? undefined }));
    }
  }
  db.exec(`DROP TABLE ${staged}`);
}

const timeIndex = (suffix: string) => `${statementsTable(suffix)}_by_time`;
const derived = (db: ViewsDatabase, suffix: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(timeIndex(suffix)) !== undefined;

/**
 * A view built in bulk only stages what its events say of the statements while it catches up;
 * the statements are then keyed from them (`settleStaged`), the changes of counts derived from
 * those in one sorted pass (`deriveDeltasSql`), and the index by time that the event-by-event
 * `apply` reads is made with them, in one transaction. The index is therefore the mark that the
 * changes of counts are there (a bulk build killed part-way has neither: the next opening
 * settles and derives them).
 */
function deriveCounts(db: ViewsDatabase, suffix: string): void {
  if (derived(db, suffix)) return;
  db.transaction(() => {
    settleStaged(db, suffix);
    db.exec(`DELETE FROM ${deltasTable(suffix)}; ${deriveDeltasSql(statementsTable(suffix), deltasTable(suffix))};
      DELETE FROM ${blocksTable(suffix)}; ${deriveBlocksSql(deltasTable(suffix), blocksTable(suffix))};
      ${createTimeIndex(suffix)}`);
  })();
}

const createTimeIndex = (suffix: string) => `CREATE INDEX ${timeIndex(suffix)} ON ${statementsTable(suffix)} (topic_id, actor_id, at_ms, earliest_ms, position)`;

/**
 * `deriveCounts` for a runner that builds several views at once (an import's last step): the
 * staged statements are settled here and committed, then a thread of its own derives the changes
 * of counts from them into a scratch file (stance-counts.thread.ts) while this one builds the
 * other views' indexes. The promise resolves with the rest, to run here: the changes copied in
 * and the index by time made, in one transaction (still the mark; until then the view holds its
 * settled statements and no changes, as a build killed after settling does). It rejects when the
 * thread failed: the runner then derives them here (`queryIndexes`).
 */
function deriveCountsBeside(db: ViewsDatabase, suffix: string, scratchDir: string): Promise<() => void> {
  if (derived(db, suffix)) return Promise.resolve(() => undefined);
  // Another thread cannot open a database in memory.
  if (db.memory) return Promise.resolve(() => deriveCounts(db, suffix));
  db.transaction(() => settleStaged(db, suffix))();
  return (async () => {
    const dir = scratchFolder(scratchDir);
    const scratchFile = join(dir, 'counts.db');
    try {
      await deriveOnThread({ viewsFile: db.name, statements: statementsTable(suffix), scratchFile, cacheKiB: BUILD_CACHE_KIB, sortThreads: BUILD_SORT_THREADS });
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return () => {
      try {
        copyCounts(db, suffix, scratchFile);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
  })();
}

function scratchFolder(scratchDir: string): string {
  try {
    return mkdtempSync(join(scratchDir, 'positions-stance-counts-'));
  } catch (error) {
    throw new Error(`no scratch folder could be made in ${scratchDir} (${(error as { message?: string }).message ?? String(error)})`);
  }
}

function deriveOnThread(data: StanceThreadData): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = moduleThread(moduleBeside(__filename, 'stance-counts.thread'), { ...data });
    worker.once('message', (reply: StanceThreadReply) => ('derived' in reply ? resolve() : reject(new Error(reply.failed))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the thread exited with code ${code} before it answered`)));
  });
}

/** The changes of counts the thread derived, and the index by time that marks them there, in one transaction. */
function copyCounts(db: ViewsDatabase, suffix: string, scratchFile: string): void {
  db.prepare('ATTACH ? AS stance_scratch').run(scratchFile);
  try {
    db.transaction(() => {
      db.exec(`DELETE FROM ${deltasTable(suffix)};
        INSERT INTO ${deltasTable(suffix)} (topic_id, day, stance, delta) SELECT topic_id, day, stance, delta FROM stance_scratch.deltas ORDER BY topic_id, day, stance;
        DELETE FROM ${blocksTable(suffix)};
        INSERT INTO ${blocksTable(suffix)} (topic_id, block, changes) SELECT topic_id, block, changes FROM stance_scratch.blocks ORDER BY topic_id, block;
        ${createTimeIndex(suffix)}`);
    })();
  } finally {
    db.exec('DETACH stance_scratch');
  }
}

type ActorOnTopic = { topicId: string; actorId: string };
/**
 * A statement that counts: the instant from which it is certainly made (`latest` of its range,
 * clipped at its recording: the instant itself for a day or a date-time), the range's start and
 * its log position (the tie-breakers, in that order), and its stance.
 */
type Counted = { statementId: string; atMs: number; earliestMs: number; position: number; stance: string };

/** `atMs` and `earliestMs` of a statedOn recorded at `recordedAt` (epoch ms). */
function rangeOf(statedOn: string, recordedAt: number): { atMs: number; earliestMs: number } {
  const { earliest, latest } = recordedRange(statedOn, recordedAt);
  return { atMs: latest, earliestMs: earliest };
}

/** The day (days since the epoch, UTC) whose end first sees an instant. */
const dayOf = (ms: number) => Math.floor(ms / DAY);
const endOfDay = (day: number) => (day + 1) * DAY - 1;

class StanceTables {
  private readonly get;
  private readonly insert;
  private readonly remove;
  private readonly lastUpTo;
  private readonly nextAfter;
  private readonly addDelta;
  private readonly dropZero;
  private readonly dropBlock;
  private readonly writeBlock;
  /** Changes of counts not yet written, by JSON [topic, day, stance]. */
  private readonly pending = new Map<string, number>();

  constructor(db: ViewsDatabase, suffix: string) {
    const statements = statementsTable(suffix);
    const deltas = deltasTable(suffix);
    this.get = db.prepare(`SELECT statement_id AS statementId, at_ms AS atMs, earliest_ms AS earliestMs, position, stance FROM ${statements} WHERE topic_id = ? AND actor_id = ? AND statement_id = ?`);
    // Ids are registered once (as in positionAt's fold): a second PositionStated changes nothing.
    this.insert = db.prepare(`INSERT OR IGNORE INTO ${statements} (topic_id, actor_id, statement_id, at_ms, earliest_ms, position, stance) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.remove = db.prepare(`DELETE FROM ${statements} WHERE topic_id = ? AND actor_id = ? AND statement_id = ?`);
    this.lastUpTo = db.prepare(`SELECT stance FROM ${statements} WHERE topic_id = ? AND actor_id = ? AND at_ms <= ? ORDER BY at_ms DESC, earliest_ms DESC, position DESC LIMIT 1`).pluck();
    this.nextAfter = db.prepare(`SELECT MIN(at_ms) FROM ${statements} WHERE topic_id = ? AND actor_id = ? AND at_ms > ?`).pluck();
    this.addDelta = db.prepare(`INSERT INTO ${deltas} (topic_id, day, stance, delta) VALUES (?, ?, ?, ?)
      ON CONFLICT (topic_id, day, stance) DO UPDATE SET delta = delta + excluded.delta RETURNING delta`).pluck();
    this.dropZero = db.prepare(`DELETE FROM ${deltas} WHERE topic_id = ? AND day = ? AND stance = ?`);
    const blocks = blocksTable(suffix);
    this.dropBlock = db.prepare(`DELETE FROM ${blocks} WHERE topic_id = ? AND block = ?`);
    this.writeBlock = db.prepare(`INSERT INTO ${blocks} (topic_id, block, changes) ${blockChangesSql(deltas, 'WHERE topic_id = ? AND day >= ? AND day < ?')}`);
  }

  statement({ topicId, actorId }: ActorOnTopic, statementId: string): Counted | null {
    return (this.get.get(topicId, actorId, statementId) as Counted | undefined) ?? null;
  }

  /** Replaces one statement by another (either may be null), the counts left as they are: they are derived afterwards. */
  replace({ topicId, actorId }: ActorOnTopic, before: Counted, after: Counted | null): void {
    this.remove.run(topicId, actorId, before.statementId);
    if (after) this.insert.run(topicId, actorId, after.statementId, after.atMs, after.earliestMs, after.position, after.stance);
  }

  /** Replaces one statement by another (either may be null) and moves the counts to match. */
  change(actor: ActorOnTopic, before: Counted | null, after: Counted | null): void {
    if (before) this.atDay(actor, dayOf(before.atMs), () => this.remove.run(actor.topicId, actor.actorId, before.statementId));
    if (after) this.atDay(actor, dayOf(after.atMs), () => this.insert.run(actor.topicId, actor.actorId, after.statementId, after.atMs, after.earliestMs, after.position, after.stance));
  }

  /**
   * A change to the actor's statements on `day` alone can only change what the actor holds
   * from that day up to the next day with a statement: one change of counts at each end.
   */
  private atDay(actor: ActorOnTopic, day: number, mutate: () => void): void {
    const was = this.held(actor, day);
    mutate();
    const is = this.held(actor, day);
    if (was === is) return;
    this.move(actor.topicId, day, was, is);
    const until = this.nextChange(actor, day);
    if (until !== null) this.move(actor.topicId, until, is, was);
  }

  /*
   * `held` and `nextChange` are the one place that says what counts: the certain stance of
   * docs/domain.md, as `positionAt` answers it (of the statements certainly made by the end of
   * the day, the one with the greatest latest, then earliest, then the later recorded), and the
   * next day on which that answer may change. An uncertain answer counts under its certain
   * stance, or not at all when it has none.
   */

  /** What the actor holds at the end of `day`. */
  private held({ topicId, actorId }: ActorOnTopic, day: number): string | null {
    return (this.lastUpTo.get(topicId, actorId, endOfDay(day)) as string | undefined) ?? null;
  }

  /** The next day after `day` on which what the actor holds may change. */
  private nextChange({ topicId, actorId }: ActorOnTopic, day: number): number | null {
    const next = this.nextAfter.get(topicId, actorId, endOfDay(day)) as number | null;
    return next === null ? null : dayOf(next);
  }

  private move(topicId: string, day: number, from: string | null, to: string | null): void {
    for (const [stance, delta] of [[from, -1], [to, 1]] as const) {
      if (stance === null) continue;
      const key = JSON.stringify([topicId, day, stance]);
      this.pending.set(key, (this.pending.get(key) ?? 0) + delta);
    }
  }

  /**
   * Writes the changes of counts the batch's events made, summed per topic, day and stance,
   * in key order: a B-tree page is then written once for its run of keys instead of once per
   * event. Nothing in `apply` reads them.
   */
  flush(): void {
    const pending = [...this.pending].filter(([, delta]) => delta !== 0).map(([key, delta]) => [...(JSON.parse(key) as [string, number, string]), delta] as const);
    this.pending.clear();
    pending.sort(([t1, d1, s1], [t2, d2, s2]) => (t1 < t2 ? -1 : t1 > t2 ? 1 : d1 - d2 || (s1 < s2 ? -1 : s1 > s2 ? 1 : 0)));
    for (const [topicId, day, stance, delta] of pending) {
      if (this.addDelta.get(topicId, day, stance, delta) === 0) this.dropZero.run(topicId, day, stance);
    }
    // Each block's row, written again from its changes (none when they all summed to zero).
    pending.forEach(([topicId, day], i) => {
      const [previousTopic, previousDay] = pending[i - 1] ?? [];
      if (previousTopic === topicId && previousDay !== undefined && blockOf(previousDay) === blockOf(day)) return;
      this.dropBlock.run(topicId, blockOf(day));
      this.writeBlock.run(topicId, blockOf(day) * BLOCK_DAYS, (blockOf(day) + 1) * BLOCK_DAYS);
    });
  }
}

/**
 * Runs of consecutive days with the same counts: run i is `days[i]` days long and ends each
 * with `counts[i][j]` actors holding `stances[j]` (missing entries are zero).
 */
export interface StanceCountRuns {
  /** The codebook's codes as asked, then any other stance held within the range. */
  stances: string[];
  days: number[];
  counts: number[][];
}

/**
 * How many actors held each stance at the end of each day from `firstDay` to `lastDay`
 * (days since the epoch, UTC), as runs of days with the same counts: a decade is a few
 * thousand runs of a few numbers each, answered without an object per day.
 * Reads the changes before the range once (summed by SQLite) and the blocks of days within it.
 */
export function stanceCountRuns(read: ViewReader, topicId: string, firstDay: number, lastDay: number, codes: readonly string[] = []): StanceCountRuns {
  return read.guard(() => {
    const suffix = read.suffix(STANCE_COUNTS_VIEW);
    const before = read.prepare(`SELECT stance, SUM(delta) FROM ${deltasTable(suffix)} WHERE topic_id = ? AND day < ? GROUP BY stance`).raw().all(topicId, firstDay) as [string, number][];
    const blocks = read.prepare(`SELECT changes FROM ${blocksTable(suffix)} WHERE topic_id = ? AND block >= ? AND block <= ? ORDER BY block`).pluck().all(topicId, blockOf(firstDay), blockOf(lastDay)) as string[];
    const runs: StanceCountRuns = { stances: [...codes], days: [], counts: [] };
    const indexOf = new Map(codes.map((code, i) => [code, i]));
    const running: number[] = codes.map(() => 0);
    const add = (stance: string, delta: number) => {
      let i = indexOf.get(stance);
      if (i === undefined) indexOf.set(stance, (i = runs.stances.push(stance) - 1));
      running[i] = (running[i] ?? 0) + delta;
    };
    for (const [stance, sum] of before) add(stance, sum);
    let day = firstDay;
    const closeUpTo = (end: number) => {
      if (day >= end) return;
      runs.days.push(end - day);
      runs.counts.push(running.slice());
      day = end;
    };
    for (const block of blocks) {
      const changes = JSON.parse(block) as (number | string)[];
      for (let i = 0; i < changes.length; ) {
        const changeDay = changes[i++] as number;
        // Days of the first block before the range are in `before` already; the last block's after it are not asked.
        const counted = changeDay >= firstDay && changeDay <= lastDay;
        if (counted) closeUpTo(changeDay);
        for (; typeof changes[i] === 'string'; i += 2) if (counted) add(changes[i] as string, changes[i + 1] as number);
      }
    }
    closeUpTo(lastDay + 1);
    return runs;
  });
}
