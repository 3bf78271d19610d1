import {
  type ActorEvent,
  actorStream,
  endInstant,
  type PositionEvent,
  positionStream,
  type TopicEvent,
  topicStream,
} from '@positions/domain';
import { MemoryEventStore, type StoredEvent } from '@positions/event-store';
import {
  ALL_PROJECTIONS,
  documentTable,
  KNOWN_NOW,
  openViewsDatabase,
  type Projection,
  ProjectionRunner,
  ReadModels,
  searchVersionsTable,
  STANCE_COUNTS_VIEW,
  STATEMENT_SEARCH_VIEW,
  STATEMENTS_VIEW,
  statementVersionsTable,
  TOPIC_SPEAKERS_VIEW,
  topicSpeakerCountsTable,
  topicSpeakersTable,
  type ViewsDatabase,
} from '@positions/projections';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECORDED_AT } from './fixtures';

/*
 * Given/then for read models:
 *
 *   await projectionSpec(membersProjection).given([ofActor('marco-rubio', rubioAffiliationBegan())]).thenRows('members', {...});
 *   await projectionSpec().given(events).thenAnswer((read) => expect(read.landscapeEntries(...)).toEqual(...));
 *
 * The given events are appended to an in-memory log (each recorded 1 s after the one before, or at
 * its own `recordedAt`), a runner catches the views up from position 0, and the expectation is
 * checked twice: on the live views, then again after rebuilding every view from the log, since
 * a rebuild must never change an answer.
 */

/** An event as a test gives it: the stream it goes to, and optionally when it is recorded. */
export interface GivenEvent {
  streamId: string;
  type: string;
  data: unknown;
  recordedAt?: string;
}

const at = (recordedAt?: string) => (recordedAt ? { recordedAt } : {});
export const ofActor = (actorId: string, event: ActorEvent, recordedAt?: string): GivenEvent => ({ streamId: actorStream(actorId), ...event, ...at(recordedAt) });
export const ofTopic = (topicId: string, event: TopicEvent, recordedAt?: string): GivenEvent => ({ streamId: topicStream(topicId), ...event, ...at(recordedAt) });
export const ofPosition = (actorId: string, topicId: string, event: PositionEvent, recordedAt?: string): GivenEvent => ({
  streamId: positionStream(actorId, topicId),
  ...event,
  ...at(recordedAt),
});

/** A memory store whose clock the appends set: each event 1 s after the last, or at its own `recordedAt`. */
export function recordingStore(start = RECORDED_AT): { store: MemoryEventStore; append(events: readonly GivenEvent[]): Promise<number> } {
  let now = Date.parse(start) - 1000;
  const store = new MemoryEventStore({ clock: () => new Date(now) });
  const append = async (events: readonly GivenEvent[]) => {
    let last = await store.lastPosition();
    for (const { streamId, type, data, recordedAt } of events) {
      now = recordedAt ? Date.parse(recordedAt) : now + 1000;
      last = (await store.append(streamId, [{ type, schemaVersion: 1, data }], 'any', { recordedBy: 'test', correlationId: 'c', causationId: null })).position;
    }
    return last;
  };
  return { store, append };
}

/** The views file's tables whose names match `glob` (SQLite's GLOB), by name. */
export function viewTables(db: ViewsDatabase, glob = '*'): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB ? ORDER BY name").pluck().all(glob) as string[];
}

/** Every row of a view's serving generation: documents by key, the statements index as its versions in insert order, stance counts as both tables. */
export function viewRows(db: ViewsDatabase, runner: ProjectionRunner, view: string): unknown {
  const suffix = runner.suffix(view);
  if (view === STATEMENTS_VIEW) {
    const sql = `SELECT statement_id AS statementId, actor_id AS actorId, topic_id AS topicId, fields, known_from AS knownFrom,
      known_to_ms AS knownTo, closed_by AS closedBy FROM ${statementVersionsTable(suffix)} ORDER BY rowid`;
    return (db.prepare(sql).all() as { fields: string; knownTo: number | null }[]).map((r) => ({
      ...r,
      fields: JSON.parse(r.fields),
      knownTo: r.knownTo === null ? null : new Date(r.knownTo).toISOString(),
    }));
  }
  if (view === STANCE_COUNTS_VIEW) {
    const statements = db.prepare(`SELECT * FROM stance_statements${suffix} ORDER BY topic_id, actor_id, statement_id`).all();
    return { statements, deltas: db.prepare(`SELECT * FROM stance_deltas${suffix} ORDER BY topic_id, day, stance`).all() };
  }
  if (view === STATEMENT_SEARCH_VIEW) {
    // The text table is contentless: its rows are the versions' words, found through search answers in `everyAnswer`.
    return db.prepare(`SELECT * FROM ${searchVersionsTable(suffix)} ORDER BY id`).all();
  }
  if (view === TOPIC_SPEAKERS_VIEW) {
    const speakers = db.prepare(`SELECT * FROM ${topicSpeakersTable(suffix)} ORDER BY topic_id, actor_id`).all();
    return { speakers, counts: db.prepare(`SELECT * FROM ${topicSpeakerCountsTable(suffix)} ORDER BY topic_id`).all() };
  }
  const rows = db.prepare(`SELECT key, row FROM ${documentTable(view, suffix)} ORDER BY key`).all() as { key: string; row: string }[];
  return Object.fromEntries(rows.map(({ key, row }) => [key, JSON.parse(row)]));
}

/** The views database, with every SQL text prepared on it noted in `prepared`: what a question reads, for its query plan. */
export function notingPrepares(db: ViewsDatabase, prepared: string[]): ViewsDatabase {
  return new Proxy(db, {
    get(target, key) {
      if (key === 'prepare') return (sql: string) => (prepared.push(sql), target.prepare(sql));
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Rebuilds each view from the log, one after the other, and waits until each switched. */
export async function rebuildEvery(runner: ProjectionRunner, names: readonly string[]): Promise<void> {
  for (const name of names) await (await runner.rebuild(name)).finished;
}

export interface ProjectionThen {
  /** The view's rows are exactly `expected` (documents: `{key: row}`). */
  thenRows(view: string, expected: unknown): Promise<void>;
  /** `check` holds of the read models' answers; it also gets the log as stored. */
  thenAnswer(check: (read: ReadModels, log: StoredEvent[]) => void): Promise<void>;
}

export function projectionSpec(...only: Projection[]): { given(events: readonly GivenEvent[]): ProjectionThen } {
  const projections = only.length ? only : [...ALL_PROJECTIONS];
  const run = async (events: readonly GivenEvent[], check: (db: ViewsDatabase, runner: ProjectionRunner, log: StoredEvent[]) => void) => {
    const { store, append } = recordingStore();
    await append(events);
    const db = openViewsDatabase(':memory:');
    const runner = new ProjectionRunner(store, db, projections, undefined, 7);
    await runner.start();
    try {
      const log = await store.readAll();
      check(db, runner, log);
      await rebuildEvery(runner, projections.map((p) => p.name));
      check(db, runner, log);
    } finally {
      runner.stop();
      db.close();
    }
  };
  return {
    given: (events) => ({
      thenRows: (view, expected) => run(events, (db, runner) => expect(viewRows(db, runner, view)).toEqual(expected)),
      thenAnswer: (check) => run(events, (db, runner, log) => check(new ReadModels(db, runner), log)),
    }),
  };
}

/** The sample data set (samples/sanctions-2025-02-26.json) as events, statements numbered `seed-0`, `seed-1`, … */
export function seedHistory(): GivenEvent[] {
  const file = join(__dirname, '..', '..', '..', 'samples', 'sanctions-2025-02-26.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    actors: { id: string; name: string; kind: 'person' | 'government' | 'organization'; aliases?: string[] }[];
    affiliations: { actorId: string; organizationId: string; role: string; from: string; speaksFor?: boolean }[];
    topics: { id: string; title: string; proposition: string; stances: { code: string; label: string; score: number }[] }[];
    statements: ({ actorId: string; topicId: string } & Record<string, unknown>)[];
  };
  return [
    ...data.actors.map((a) => ofActor(a.id, { type: 'ActorRegistered', data: { ...a, aliases: a.aliases ?? [] } })),
    ...data.affiliations.map(({ actorId, speaksFor, ...a }) => ofActor(actorId, { type: 'AffiliationBegan', data: { ...a, speaksFor: speaksFor ?? false } })),
    ...data.topics.map((t) => ofTopic(t.id, { type: 'TopicOpened', data: t })),
    ...data.statements.map(({ actorId, topicId, ...fields }, i) =>
      ofPosition(actorId, topicId, { type: 'PositionStated', data: { statementId: `seed-${i}`, ...fields } } as PositionEvent),
    ),
  ];
}

/** A deterministic pseudo-random source (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EXTRA_PEOPLE = ['ann-example', 'bob-example', 'eve-example'];
const EXTRA_ORG = 'example-council';
const day = (n: number) => new Date(Date.UTC(2025, 0, 1 + n)).toISOString().slice(0, 10);

/**
 * The seed data, then `size` random events: statements (dates, date-times or ranges, some on behalf
 * of an organization), corrections, retractions, affiliations begun and ended, renames,
 * aliases and new stances. Valid enough for every view; the same `seed` gives the same history.
 */
export function variedHistory(size: number, seed = 1): GivenEvent[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const events = seedHistory();
  const codes: Record<string, string[]> = {};
  for (const e of events) if (e.type === 'TopicOpened') codes[(e.data as { id: string }).id] = (e.data as { stances: { code: string }[] }).stances.map((s) => s.code);
  const live = events.filter((e) => e.type === 'PositionStated').map((e) => (e.data as { statementId: string }).statementId);
  const open: { actorId: string; organizationId: string; role: string; from: number }[] = [];
  const people = [...EXTRA_PEOPLE, 'donald-trump', 'marco-rubio'];
  events.push(...EXTRA_PEOPLE.map((id) => ofActor(id, { type: 'ActorRegistered', data: { id, name: id, kind: 'person', aliases: [] } })));
  events.push(ofActor(EXTRA_ORG, { type: 'ActorRegistered', data: { id: EXTRA_ORG, name: 'Example council', kind: 'organization', aliases: [] } }));
  const orgs = ['us-government', 'european-union', EXTRA_ORG];
  // Days and date-times mixed with the imprecise forms: intervals of days, months, qualified.
  const statedOn = () => {
    const r = random();
    const first = Math.floor(random() * 58);
    if (r < 0.55) return day(first);
    if (r < 0.75) return `${day(first)}T${pick(['00:30:00+01:00', '12:00:00Z', '23:30:00-05:00'])}`;
    if (r < 0.9) return `${day(first)}/${day(first + Math.floor(random() * 10))}`;
    return `${pick(['2025-01', '2025-02', '2025-01-20'])}${pick(['', '~', '?', '%'])}`;
  };
  const streamOf = new Map<string, [string, string]>();
  for (const e of events) if (e.type === 'PositionStated') streamOf.set((e.data as { statementId: string }).statementId, e.streamId.slice(9).split('.') as [string, string]);
  for (let i = 0; i < size; i++) {
    const r = random();
    if (r < 0.55 || live.length === 0) {
      const [actorId, topicId] = [pick([...people, ...orgs]), pick(Object.keys(codes))];
      const statementId = `st-${seed}-${i}`;
      const onBehalfOf = people.includes(actorId) && random() < 0.3 ? { onBehalfOf: pick(orgs) } : {};
      events.push(ofPosition(actorId, topicId, { type: 'PositionStated', data: { statementId, stance: pick(codes[topicId]), statedOn: statedOn(), summary: `said ${i}`, source: { title: 'report' }, ...onBehalfOf } }));
      live.push(statementId);
      streamOf.set(statementId, [actorId, topicId]);
    } else if (r < 0.7) {
      const statementId = pick(live);
      const [actorId, topicId] = streamOf.get(statementId) as [string, string];
      const changes = { ...(random() < 0.6 && { stance: pick(codes[topicId]) }), ...(random() < 0.5 && { statedOn: statedOn() }), summary: `fixed ${i}` };
      events.push(ofPosition(actorId, topicId, { type: 'StatementCorrected', data: { statementId, changes, reason: 'misread' } }));
    } else if (r < 0.8) {
      const statementId = live.splice(Math.floor(random() * live.length), 1)[0];
      const [actorId, topicId] = streamOf.get(statementId) as [string, string];
      events.push(ofPosition(actorId, topicId, { type: 'StatementRetracted', data: { statementId, reason: 'misattributed' } }));
    } else if (r < 0.88) {
      const affiliation = { actorId: pick(people), organizationId: pick(orgs), role: `role-${i}`, from: Math.floor(random() * 50) };
      open.push(affiliation);
      events.push(ofActor(affiliation.actorId, { type: 'AffiliationBegan', data: { organizationId: affiliation.organizationId, role: affiliation.role, from: day(affiliation.from), speaksFor: random() < 0.7 } }));
    } else if (r < 0.93 && open.length > 0) {
      const { actorId, organizationId, role, from } = open.splice(Math.floor(random() * open.length), 1)[0];
      events.push(ofActor(actorId, { type: 'AffiliationEnded', data: { organizationId, role, until: day(from + Math.floor(random() * 20)) } }));
    } else if (r < 0.97) {
      const actorId = pick(people);
      events.push(ofActor(actorId, random() < 0.5 ? { type: 'ActorRenamed', data: { name: `${actorId} ${i}` } } : { type: 'ActorAliasAdded', data: { alias: `alias ${i}` } }));
    } else {
      const topicId = pick(Object.keys(codes));
      const code = `extra-${i}`;
      codes[topicId].push(code);
      events.push(ofTopic(topicId, { type: 'StanceAdded', data: { code, label: `Extra ${i}`, score: Math.floor(random() * 5) - 2 } }));
    }
  }
  return events;
}

/**
 * Everything the read models answer about a log, as one comparable value: actors, topics,
 * rosters, daily stance counts, and landscapes, positions, timelines and statements at several
 * dates and record times (now, and the recordedAt of events a quarter, half and three quarters in).
 */
export function everyAnswer(read: ReadModels, log: readonly StoredEvent[]): Record<string, unknown> {
  const actors = read.actors();
  const topics = read.topics().map((t) => t.id);
  const knownAts = [KNOWN_NOW, ...[0.25, 0.5, 0.75].map((f) => Date.parse(log[Math.floor(log.length * f)].recordedAt))];
  const ats = ['2025-01-10', '2025-01-31', '2025-02-18', '2025-02-20', '2025-02-26', '2025-12-31'].map((d) => endInstant(d));
  const statementIds = [...new Set(log.filter((e) => e.type === 'PositionStated').map((e) => (e.data as { statementId: string }).statementId))];
  const pairs = actors.flatMap((a) => topics.map((t) => [a.id, t] as const));
  const each = <T, R>(items: readonly T[], f: (item: T) => R) => items.map(f);
  return {
    actors,
    topics: read.topics(),
    members: Object.fromEntries(actors.map((a) => [a.id, read.members(a.id)])),
    speakerCounts: Object.fromEntries(read.topicSpeakerCounts()),
    stanceCounts: Object.fromEntries(topics.map((t) => [t, dailyStanceCounts(read, t, Date.UTC(2024, 11, 1) / 86_400_000, Date.UTC(2025, 2, 31) / 86_400_000)])),
    landscapes: each(topics, (t) => each(ats, (a) => each(knownAts, (k) => read.landscapeEntries(t, a, k)))),
    positions: each(pairs, ([actor, t]) => each(ats, (a) => each(knownAts, (k) => read.positionAt(actor, t, a, k)))),
    timelines: each(pairs, ([actor, t]) => each(knownAts, (k) => read.timeline(actor, t, k))),
    statements: each(statementIds, (id) => [read.statementLocation(id), ...each(knownAts, (k) => read.statement(id, k))]),
    search: each(knownAts, (k) =>
      each([undefined, '"sanctions"', '"said"*'], (match) =>
        each([false, true], (includeRetracted) => read.searchStatements({ ...(match && { match }), knownAtMs: k, seq: KNOWN_NOW, includeRetracted, limit: 1000 })),
      ),
    ),
  };
}

/**
 * The view's runs of stance counts one entry per day, each a `{stance: actors}` object with the
 * stances not in `codes` left out when zero: what a day of the HTTP answer holds, to compare.
 */
export function dailyStanceCounts(read: ReadModels, topicId: string, firstDay: number, lastDay: number, codes: readonly string[] = []): Record<string, number>[] {
  const { stances, days, counts } = read.stanceCountRuns(topicId, firstDay, lastDay, codes);
  return days.flatMap((length, run) => {
    const entries = stances.map((stance, j) => [stance, counts[run][j] ?? 0] as const).filter(([, n], j) => j < codes.length || n !== 0);
    return Array<Record<string, number>>(length).fill(Object.fromEntries(entries));
  });
}
