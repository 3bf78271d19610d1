/** What the page draws, computed from API answers: pure functions, no DOM. */
import type { Actor, Direction, Envelope, Openness, Shift, Source, Stance, StatedRange, Timeline, Topic, Voice } from './api';

const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const isDate = (value: string): boolean => DATE.test(value);

/**
 * The instant a `statedOn` names (docs/domain.md, "Valid time and record time": a bare date is the start of its UTC day).
 * NaN for the imprecise forms (a month, a year, a range): those are placed by the range the API answers.
 */
export function statedInstant(statedOn: string): number {
  return isDate(statedOn) ? Date.parse(`${statedOn}T00:00:00Z`) : statedOn.includes('T') ? Date.parse(statedOn) : Number.NaN;
}

/** Where a statement is drawn: a bare date in the middle of its day, so a cursor at the end of a day is clearly past it. */
export function chartInstant(statedOn: string): number {
  return isDate(statedOn) ? Date.parse(`${statedOn}T12:00:00Z`) : statedInstant(statedOn);
}

/** A statement's date as answers give it: `statedOn` as the source gave it, and its range where the answer has one. */
export interface Dated extends Partial<StatedRange> {
  statedOn: string;
}

const MIDNIGHT = 'T00:00:00.000Z';

/**
 * The first and last instants a statement may have been made at (docs/domain.md, "Dates as the
 * sources give them"), from the range the API answered; for a day or a date-time without one, its
 * instant. Null when neither tells: an imprecise `statedOn` whose range the page was not given.
 */
export function statedBounds(dated: Dated): { earliest: number; latest: number } | null {
  if (dated.earliest !== undefined && dated.latest !== undefined) return { earliest: Date.parse(dated.earliest), latest: Date.parse(dated.latest) };
  const instant = statedInstant(dated.statedOn);
  return Number.isNaN(instant) ? null : { earliest: instant, latest: instant };
}

/** The span an imprecise statement is drawn over: from its first day to the end of its last (or to its recording, where clipped); null for a day or an instant. */
export function statedSpan(dated: Dated): { from: Date; to: Date } | null {
  if (dated.earliest === undefined || dated.latest === undefined || dated.earliest === dated.latest) return null;
  const latest = Date.parse(dated.latest);
  return { from: new Date(Date.parse(dated.earliest)), to: new Date(dated.latest.endsWith(MIDNIGHT) ? latest + DAY : latest) };
}

/**
 * Where a statement's mark is drawn: where it is certainly made, so a position held from it starts
 * there. A day (or the last day of a range) in its middle, an instant (or a range clipped at its
 * recording) where it is. NaN when its date cannot be placed.
 */
export function markInstant(dated: Dated): number {
  if (dated.latest === undefined) return chartInstant(dated.statedOn);
  return dated.latest.endsWith(MIDNIGHT) ? Date.parse(dated.latest) + DAY / 2 : Date.parse(dated.latest);
}

/** `2025-02-17/2025-02-23 “last week”`: statedOn with the source's words, as the page shows a date. */
export function statedText(dated: Dated & { statedOnWording?: string | null }): string {
  return dated.statedOnWording ? `${dated.statedOn} “${dated.statedOnWording}”` : dated.statedOn;
}

/** `2025-02-17 – 2025-02-23`: the days an imprecise statement may have been said on; null for a day or an instant. */
export function rangeText(dated: Dated): string | null {
  const span = statedSpan(dated);
  if (!span) return null;
  const last = dated.latest!.endsWith(MIDNIGHT) ? dated.latest!.slice(0, 10) : dated.latest!;
  return `${dated.earliest!.slice(0, 10)} – ${last}`;
}

/** Whether an answer is one the sources leave open. */
export const isUncertain = (answer: Openness | null | undefined): boolean => answer?.certainty === 'uncertain';

/** `possibly concessions-needed (+1) (Marco Rubio), or no position`: the other answers the sources leave open. */
export function alternativesText(answer: Openness, speakerOf: (statementId: string) => string | null = () => null): string {
  const others = (answer.alternatives ?? []).map((a) => {
    if (!a.stance) return 'no position';
    const who = a.statementId ? speakerOf(a.statementId) : null;
    return `${stanceText(a.stance)}${who ? ` (${who})` : ''}`;
  });
  return others.length ? `possibly ${others.join(', or ')}` : '';
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
  if (!isDate(value)) return false;
  const instant = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(instant) && dayOf(instant) === value;
}

/** A `knownAt` the API accepts: a real date, or a date-time with seconds and an offset. */
export function isValidKnownAt(value: string): boolean {
  if (isDate(value)) return isValidDay(value);
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)) && isValidDay(value.slice(0, 10));
}

/**
 * The `knownAt` of a `datetime-local` value read as UTC. The field shows seconds (or minutes) but
 * records carry milliseconds: the moment typed is the end of that second (or minute), so a record
 * made within it is part of the view. Null when empty or not a real moment.
 */
export function knownAtFromInput(value: string): string | null {
  if (!value) return null;
  const knownAt = /T\d{2}:\d{2}$/.test(value) ? `${value}:59.999Z` : /T\d{2}:\d{2}:\d{2}$/.test(value) ? `${value}.999Z` : `${value}Z`;
  return isValidKnownAt(knownAt) ? knownAt : null;
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
export interface FoldedStatement extends Partial<StatedRange> {
  statementId: string;
  stance: string;
  statedOn: string;
  statedOnWording: string | null;
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
        statedOnWording: (data.statedOnWording as string | undefined) ?? null,
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
      for (const field of ['stance', 'statedOn', 'statedOnWording', 'summary', 'quote', 'source', 'onBehalfOf'] as const) {
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
  statedOnWording: string | null;
  x: Date;
  /** The days it may have been said on, drawn as a span; null for a day or an instant. */
  span: { from: Date; to: Date } | null;
  /** Its days as text (`2025-02-17 – 2025-02-23`), null for a day or an instant. */
  range: string | null;
  stance: Stance | null;
  summary: string;
  shift: Shift | null;
  direction: Direction;
  corrected: boolean;
  retracted: { reason: string; recordedAt: string; recordedBy: string } | null;
  /** Where it comes from, when the page knows. */
  source?: Source;
  /** On a voice lane: whose statement it was. */
  speaker?: string;
  /** On a voice lane: someone else now speaks for the organization (not a flip: nobody changed their mind). */
  newSpeaker?: boolean;
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
      statedOnWording: foldedById.get(entry.statementId)?.statedOnWording ?? null,
      x: new Date(markInstant(entry)),
      span: statedSpan(entry),
      range: rangeText(entry),
      stance: entry.stance,
      summary: entry.summary,
      shift: entry.shift,
      direction: entry.direction,
      corrected: (foldedById.get(entry.statementId)?.corrections ?? 0) > 0,
      retracted: null,
      source: foldedById.get(entry.statementId)?.source,
    }));
    const retracted: Mark[] = folded
      // One whose range the page does not know cannot be placed (the page asks for the ranges of imprecise ones).
      .filter((statement) => statement.retraction && !Number.isNaN(markInstant(statement)))
      .sort((a, b) => markInstant(a) - markInstant(b))
      .map((statement) => ({
        laneKey: key,
        actorId: actor.id,
        statementId: statement.statementId,
        statedOn: statement.statedOn,
        statedOnWording: statement.statedOnWording,
        x: new Date(markInstant(statement)),
        span: statedSpan(statement),
        range: rangeText(statement),
        stance: stanceOf(statement.stance),
        summary: statement.summary,
        shift: null,
        direction: null,
        corrected: statement.corrections > 0,
        retracted: statement.retraction,
        source: statement.source,
      }));
    if (marks.length === 0 && retracted.length === 0) continue;
    const bands: Band[] = [];
    marks.forEach((mark, i) => {
      if (!mark.stance) return;
      const next = marks[i + 1];
      // Overlapping ranges can put the next mark before this one: the band then has no length.
      const to = next ? new Date(Math.max(next.x.getTime(), mark.x.getTime())) : end;
      bands.push({ laneKey: key, from: mark.x, to, stance: mark.stance, statementId: mark.statementId, divergent: false });
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
    let previousSpeaker: string | null = null;
    samples.forEach((sample, i) => {
      const voice = sample.voice;
      const next = samples[i + 1];
      const from = new Date(Date.parse(`${sample.date}T00:00:00Z`));
      const to = next ? new Date(Date.parse(`${next.date}T00:00:00Z`)) : end;
      if (!voice.stance || !voice.statement) return;
      const last = marks[marks.length - 1];
      if (!last || last.statementId !== voice.statement.statementId) {
        const newSpeaker = previousSpeaker !== null && voice.speaker !== previousSpeaker;
        const { shift, direction } = newSpeaker ? { shift: null, direction: null } : shiftBetween(previous, voice.stance);
        marks.push({
          laneKey: key,
          actorId: orgId,
          statementId: voice.statement.statementId,
          statedOn: voice.statement.statedOn,
          statedOnWording: voice.statement.statedOnWording ?? null,
          x: new Date(markInstant(voice.statement)),
          span: statedSpan(voice.statement),
          range: rangeText(voice.statement),
          stance: voice.stance,
          summary: voice.statement.summary,
          shift,
          direction,
          corrected: false,
          retracted: null,
          source: voice.statement.source,
          speaker: voice.speaker ?? undefined,
          newSpeaker,
        });
        previous = voice.stance;
        previousSpeaker = voice.speaker;
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
    for (const entry of timelines.get(actor.id)?.entries ?? []) {
      const bounds = statedBounds(entry);
      if (!bounds) continue;
      // A range may change the voice where it begins (possibly said) and where it ends (certainly said).
      dates.add(dayOf(bounds.earliest));
      dates.add(dayOf(bounds.latest));
    }
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

/**
 * Gives each folded statement the range its timeline entry answered (retracted ones have none
 * there), and returns the retracted ones still without a range whose `statedOn` alone does not
 * place them: the page asks the API for those.
 */
export function attachRanges(folded: readonly FoldedStatement[], timeline: Timeline | undefined): FoldedStatement[] {
  const entries = new Map((timeline?.entries ?? []).map((entry) => [entry.statementId, entry]));
  for (const statement of folded) {
    const entry = entries.get(statement.statementId);
    if (entry?.earliest !== undefined && entry.latest !== undefined) Object.assign(statement, { earliest: entry.earliest, latest: entry.latest });
  }
  return folded.filter((statement) => statement.earliest === undefined && statedBounds(statement) === null);
}

/**
 * Whether a lane has a statement that may (not certainly) have been made by the end of `day`: one
 * whose range began by then and ends later. Only then can an actor without a known position have
 * an open one, worth asking the API about.
 */
export function possiblyStated(lane: Lane, day: string): boolean {
  const end = cursorInstant(day) - 1;
  return lane.marks.some((mark) => mark.span !== null && mark.span.from.getTime() <= end && end < mark.x.getTime());
}

/** Keeps labels at least `gap` px apart on each lane (in time order): the rest are left out, the marks still say them. */
export function thinned<T extends { laneKey: string; x: Date }>(items: T[], toPx: (date: Date) => number, gap: number): T[] {
  const last = new Map<string, number>();
  return [...items]
    .sort((a, b) => a.x.getTime() - b.x.getTime())
    .filter((item) => {
      const px = toPx(item.x);
      const before = last.get(item.laneKey);
      if (before !== undefined && px - before < gap) return false;
      last.set(item.laneKey, px);
      return true;
    });
}
