/** What the page draws, computed from API answers: pure functions, no DOM. */
import type { Actor, Direction, Envelope, Shift, Source, Stance, Timeline, Topic, Voice } from './api';

const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const isDate = (value: string): boolean => DATE.test(value);

/** The instant a `statedOn` names (docs/domain.md, "Valid time and record time": a bare date is the start of its UTC day). */
export function statedInstant(statedOn: string): number {
  return isDate(statedOn) ? Date.parse(`${statedOn}T00:00:00Z`) : Date.parse(statedOn);
}

/** Where a statement is drawn: a bare date in the middle of its day, so a cursor at the end of a day is clearly past it. */
export function chartInstant(statedOn: string): number {
  return isDate(statedOn) ? Date.parse(`${statedOn}T12:00:00Z`) : Date.parse(statedOn);
}

/** The instant of a `knownAt` (docs/domain.md, "Valid time and record time": a bare date is the end of its UTC day); none: now. */
export function knownAtInstant(knownAt: string | null): number {
  if (!knownAt) return Number.POSITIVE_INFINITY;
  return isDate(knownAt) ? Date.parse(`${knownAt}T00:00:00Z`) + DAY - 1 : Date.parse(knownAt);
}

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function dayOf(instant: number): string {
  return new Date(instant).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dayOf(Date.parse(`${day}T00:00:00Z`) + days * DAY);
}

/** Where the date cursor of a day is drawn: the end of that day (`at` includes the whole day). */
export function cursorInstant(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) + DAY;
}

/** The day whose end is nearest to an instant on the chart. */
export function dayNearest(instant: number): string {
  return dayOf(Math.round(instant / DAY) * DAY - DAY);
}

export function isValidDay(value: string): boolean {
  return isDate(value) && dayOf(Date.parse(`${value}T00:00:00Z`)) === value;
}

/** A `knownAt` the API accepts: a real date, or a date-time with seconds and an offset. */
export function isValidKnownAt(value: string): boolean {
  if (isDate(value)) return isValidDay(value);
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
}

/** Shifts between two scores, as docs/domain.md, "Shifts", classifies them. */
export function shiftBetween(before: Stance | null | undefined, after: Stance): { shift: Shift; direction: Direction } {
  if (!before) return { shift: 'first', direction: null };
  const delta = after.score - before.score;
  const direction: Direction = delta > 0 ? 'toward' : delta < 0 ? 'away' : null;
  if (delta === 0) return { shift: 'no-flip', direction };
  return { shift: Math.abs(delta) === 1 ? 'half-flip' : 'full-flop', direction };
}

export function describeShift(shift: Shift | null, direction: Direction): string {
  switch (shift) {
    case 'first':
      return 'first statement';
    case 'no-flip':
      return 'no flip (same score)';
    case 'half-flip':
      return `half-flip ${direction === 'toward' ? 'toward' : 'away from'} the proposition`;
    case 'full-flop':
      return `full-flop ${direction === 'toward' ? 'toward' : 'away from'} the proposition`;
    default:
      return '';
  }
}

/** One statement as its position stream tells it, folded up to a record time. */
export interface FoldedStatement {
  statementId: string;
  stance: string;
  statedOn: string;
  summary: string;
  quote: string | null;
  source: Source;
  onBehalfOf: string | null;
  recordedAt: string;
  corrections: number;
  retraction: { reason: string; recordedAt: string; recordedBy: string } | null;
}

/** Folds a `position-{actor}.{topic}` stream as known at `knownAtMs`: corrections applied, retractions kept (flagged). */
export function foldStream(events: readonly Envelope[], knownAtMs: number): FoldedStatement[] {
  const statements = new Map<string, FoldedStatement>();
  for (const event of events) {
    if (Date.parse(event.recordedAt) > knownAtMs) continue;
    const data = event.data as Record<string, unknown>;
    const id = String(data.statementId);
    if (event.type === 'PositionStated') {
      statements.set(id, {
        statementId: id,
        stance: String(data.stance),
        statedOn: String(data.statedOn),
        summary: String(data.summary ?? ''),
        quote: (data.quote as string | undefined) ?? null,
        source: (data.source as Source | undefined) ?? {},
        onBehalfOf: (data.onBehalfOf as string | undefined) ?? null,
        recordedAt: event.recordedAt,
        corrections: 0,
        retraction: null,
      });
    } else if (event.type === 'StatementCorrected') {
      const statement = statements.get(id);
      if (!statement) continue;
      const changes = (data.changes ?? {}) as Partial<FoldedStatement>;
      for (const field of ['stance', 'statedOn', 'summary', 'quote', 'source', 'onBehalfOf'] as const) {
        if (field in changes) (statement as unknown as Record<string, unknown>)[field] = changes[field] ?? null;
      }
      statement.corrections += 1;
    } else if (event.type === 'StatementRetracted') {
      const statement = statements.get(id);
      if (statement) statement.retraction = { reason: String(data.reason ?? ''), recordedAt: event.recordedAt, recordedBy: event.recordedBy };
    }
  }
  return [...statements.values()];
}

/** A statement drawn on a lane. */
export interface Mark {
  laneKey: string;
  actorId: string;
  statementId: string;
  statedOn: string;
  x: Date;
  stance: Stance | null;
  summary: string;
  shift: Shift | null;
  direction: Direction;
  corrected: boolean;
  retracted: { reason: string; recordedAt: string; recordedBy: string } | null;
  /** On a voice lane: whose statement it was. */
  speaker?: string;
}

/** A held position between two statements (or up to the end of the chart). */
export interface Band {
  laneKey: string;
  from: Date;
  to: Date;
  stance: Stance;
  statementId: string;
  divergent: boolean;
  speaker?: string;
}

export interface Lane {
  key: string;
  kind: 'actor' | 'voice';
  actorId: string;
  label: string;
  marks: Mark[];
  bands: Band[];
  /** Retracted statements of this lane (drawn only when asked). */
  retracted: Mark[];
}

/** An organization's voice over time, sampled at the dates where it can change. */
export interface VoiceSample {
  date: string;
  voice: Voice;
}

export interface LaneInput {
  topic: Topic;
  actors: Actor[];
  timelines: Map<string, Timeline>;
  streams: Map<string, FoldedStatement[]>;
  voices: Map<string, VoiceSample[]>;
  end: Date;
}

/** The lanes, grouped: each organization's voice, then its own statements, then its people; then everyone else. */
export function buildLanes(input: LaneInput): Lane[] {
  const { topic, actors, timelines, streams, voices, end } = input;
  const byId = new Map(actors.map((actor) => [actor.id, actor]));
  const stanceOf = (code: string): Stance | null => topic.stances.find((stance) => stance.code === code) ?? null;
  const lanes = new Map<string, Lane>();

  for (const actor of actors) {
    const entries = timelines.get(actor.id)?.entries ?? [];
    const folded = streams.get(actor.id) ?? [];
    const foldedById = new Map(folded.map((statement) => [statement.statementId, statement]));
    const key = `actor:${actor.id}`;
    const marks: Mark[] = entries.map((entry) => ({
      laneKey: key,
      actorId: actor.id,
      statementId: entry.statementId,
      statedOn: entry.statedOn,
      x: new Date(chartInstant(entry.statedOn)),
      stance: entry.stance,
      summary: entry.summary,
      shift: entry.shift,
      direction: entry.direction,
      corrected: (foldedById.get(entry.statementId)?.corrections ?? 0) > 0,
      retracted: null,
    }));
    const retracted: Mark[] = folded
      .filter((statement) => statement.retraction)
      .sort((a, b) => statedInstant(a.statedOn) - statedInstant(b.statedOn))
      .map((statement) => ({
        laneKey: key,
        actorId: actor.id,
        statementId: statement.statementId,
        statedOn: statement.statedOn,
        x: new Date(chartInstant(statement.statedOn)),
        stance: stanceOf(statement.stance),
        summary: statement.summary,
        shift: null,
        direction: null,
        corrected: statement.corrections > 0,
        retracted: statement.retraction,
      }));
    if (marks.length === 0 && retracted.length === 0) continue;
    const bands: Band[] = [];
    marks.forEach((mark, i) => {
      if (!mark.stance) return;
      const next = marks[i + 1];
      bands.push({ laneKey: key, from: mark.x, to: next ? next.x : end, stance: mark.stance, statementId: mark.statementId, divergent: false });
    });
    lanes.set(actor.id, { key, kind: 'actor', actorId: actor.id, label: actor.name, marks, bands, retracted });
  }

  const voiceLanes = new Map<string, Lane>();
  for (const [orgId, samples] of voices) {
    const org = byId.get(orgId);
    if (!org) continue;
    // A voice decided only by the organization's own statements would repeat its own lane.
    if (!samples.some((sample) => sample.voice.speaker && sample.voice.speaker !== orgId)) continue;
    const key = `voice:${orgId}`;
    const marks: Mark[] = [];
    const bands: Band[] = [];
    let previous: Stance | null = null;
    samples.forEach((sample, i) => {
      const voice = sample.voice;
      const next = samples[i + 1];
      const from = new Date(Date.parse(`${sample.date}T00:00:00Z`));
      const to = next ? new Date(Date.parse(`${next.date}T00:00:00Z`)) : end;
      if (!voice.stance || !voice.statement) return;
      const last = marks[marks.length - 1];
      if (!last || last.statementId !== voice.statement.statementId) {
        const { shift, direction } = shiftBetween(previous, voice.stance);
        marks.push({
          laneKey: key,
          actorId: orgId,
          statementId: voice.statement.statementId,
          statedOn: voice.statement.statedOn,
          x: new Date(chartInstant(voice.statement.statedOn)),
          stance: voice.stance,
          summary: voice.statement.summary,
          shift,
          direction,
          corrected: false,
          retracted: null,
          speaker: voice.speaker ?? undefined,
        });
        previous = voice.stance;
      }
      const start = marks[marks.length - 1].x > from ? marks[marks.length - 1].x : from;
      const before = bands[bands.length - 1];
      // A band runs on until the next one starts (a new statement is drawn at midday of its date).
      if (before && before.to.getTime() === from.getTime()) before.to = start;
      bands.push({ laneKey: key, from: start, to, stance: voice.stance, statementId: voice.statement.statementId, divergent: voice.divergent, speaker: voice.speaker ?? undefined });
    });
    if (marks.length === 0) continue;
    voiceLanes.set(orgId, { key, kind: 'voice', actorId: orgId, label: `${org.name} (voice)`, marks, bands, retracted: [] });
  }

  // Order: organizations (by name) with their voice, own lane and people; then the people no organization claims.
  const ordered: Lane[] = [];
  const placed = new Set<string>();
  const byName = (a: Actor, b: Actor) => a.name.localeCompare(b.name);
  const organizations = actors.filter((actor) => actor.kind !== 'person' && (lanes.has(actor.id) || voiceLanes.has(actor.id))).sort(byName);
  for (const org of organizations) {
    const voice = voiceLanes.get(org.id);
    if (voice) ordered.push(voice);
    const own = lanes.get(org.id);
    if (own) ordered.push(own);
    placed.add(org.id);
    const members = actors
      .filter((actor) => !placed.has(actor.id) && lanes.has(actor.id) && actor.affiliations.some((a) => a.organizationId === org.id))
      .sort(byName);
    for (const member of members) {
      ordered.push(lanes.get(member.id)!);
      placed.add(member.id);
    }
  }
  for (const actor of [...actors].sort(byName)) if (!placed.has(actor.id) && lanes.has(actor.id)) ordered.push(lanes.get(actor.id)!);
  return ordered;
}

/** The days on which an organization's voice can change: its and its affiliates' statement dates and speaking-role bounds. */
export function voiceDates(org: Actor, actors: Actor[], timelines: Map<string, Timeline>): string[] {
  const affiliates = actors.filter((actor) => actor.affiliations.some((a) => a.organizationId === org.id));
  const dates = new Set<string>();
  for (const actor of [org, ...affiliates]) {
    for (const entry of timelines.get(actor.id)?.entries ?? []) dates.add(isDate(entry.statedOn) ? entry.statedOn : dayOf(statedInstant(entry.statedOn)));
  }
  if (dates.size === 0) return [];
  const first = [...dates].sort()[0];
  for (const actor of affiliates) {
    for (const a of actor.affiliations) {
      if (a.organizationId !== org.id || !a.speaksFor) continue;
      if (a.from > first) dates.add(a.from);
      if (a.until && a.until >= first) dates.add(addDays(a.until, 1));
    }
  }
  return [...dates].sort();
}

/** Organizations that may have a voice on a topic: not people, with someone affiliated or statements of their own. */
export function voiceCandidates(actors: Actor[], timelines: Map<string, Timeline>): Actor[] {
  return actors.filter((actor) => {
    if (actor.kind === 'person') return false;
    const affiliates = actors.filter((other) => other.affiliations.some((a) => a.organizationId === actor.id));
    return affiliates.some((other) => (timelines.get(other.id)?.entries.length ?? 0) > 0);
  });
}

/** A stance as people read it: `concessions-needed (+1)`. */
export function stanceText(stance: Stance | null): string {
  if (!stance) return 'no known position';
  return `${stance.code} (${stance.score > 0 ? '+' : ''}${stance.score})`;
}
