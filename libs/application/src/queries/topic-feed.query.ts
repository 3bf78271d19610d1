import { Inject } from '@nestjs/common';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { formatInstant, InvalidValue, isSlug, positionStream, startInstant, utcDate } from '@positions/domain';
import type { EventStore, StoredEvent } from '@positions/event-store';
import { type ActorView, ReadModels, type TopicView } from '@positions/projections';
import { CLOCK, type Clock, EVENT_STORE } from '../tokens';
import { type ActorAnswer, actorAnswer } from './actors.queries';
import { requireTopic, timeOf } from './answer-support';
import { type TimelineAnswer, TimelineHandler, TimelineQuery } from './timeline.query';
import { SPEAKERS_PER_TURN, speakerPieces } from './topic-speakers';
import { type VoiceAnswer, VoiceHandler } from './voice.query';

/** The days a statement may have been said on (ISO-8601 UTC), as GET /api/statements/{id} answers them. */
export interface FeedRange {
  statementId: string;
  earliest: string;
  latest: string;
}

/**
 * One actor of a topic's feed: its timeline (live statements with shifts), its stream's events
 * (statements, corrections, retractions) and, for the retracted statements among them (which no
 * timeline lists), their ranges, so a page can place them without asking for each.
 */
export interface FeedActor {
  actorId: string;
  timeline: TimelineAnswer;
  events: StoredEvent[];
  retracted: FeedRange[];
}

/** An actor as GET /api/actors/{id} answers it. */
export type FeedDirectoryEntry = ActorAnswer;

/** An organization's voice at each date where it can change (its and its affiliates' statements, speaking roles' bounds). */
export interface FeedVoice {
  organizationId: string;
  samples: { date: string; voice: VoiceAnswer }[];
}

export interface TopicFeed {
  topic: TopicView;
  /** The record time the feed reads: as asked, else what the views stand behind (null before any event). */
  knownAt: string | null;
  actors: FeedActor[];
  /** On the first page only, over every speaker of the topic (those of later pages too). */
  voices: FeedVoice[];
  /** The actors this page names: its speakers, their organizations and, on the first page, the organizations with a voice. */
  directory: FeedDirectoryEntry[];
  next: string | null;
}

/** A page's actors (timeline, stream, JSON size) read between two pauses. */
const ACTORS_PER_TURN = 25;

/** A page holds about this many bytes of JSON at most; a topic of 200 actors and 2,000 statements fits in one. */
export const FEED_PAGE_BYTES = 8_000_000;

/** Each page actor's JSON, as the page measured it against FEED_PAGE_BYTES: written as is, not serialised again. */
const measured = new WeakMap<object, string>();

/** The JSON of an item of a feed page, when the page already wrote it while measuring (`jsonObject`'s `itemJson`). */
export const feedItemJson = (item: unknown): string | undefined => (typeof item === 'object' && item !== null ? measured.get(item) : undefined);

/** `GET /api/topics/{t}/feed`: what the page draws a topic from, in one request for all but huge topics. */
export class TopicFeedQuery extends Query<TopicFeed> {
  constructor(
    readonly topicId: string,
    readonly knownAt?: string,
    readonly includeRetracted = false,
    readonly cursor?: string,
  ) {
    super();
  }
}

@QueryHandler(TopicFeedQuery)
export class TopicFeedHandler implements IQueryHandler<TopicFeedQuery> {
  constructor(
    private readonly views: ReadModels,
    private readonly timelines: TimelineHandler,
    private readonly voicesOf: VoiceHandler,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ topicId, knownAt: asked, includeRetracted, cursor }: TopicFeedQuery): Promise<TopicFeed> {
    const topic = requireTopic(this.views, topicId);
    const from = cursor === undefined ? null : decodeFeedCursor(cursor);
    // Every page reads one record: the first page's knownAt (asked, or what the views stand behind), which its cursor carries.
    const known = this.views.knownThrough();
    const { knownAtMs } = timeOf(this.clock().toISOString(), undefined, from?.knownAt ?? asked, known);
    const knownAt = from?.knownAt ?? asked ?? (known === null ? undefined : formatInstant(known));
    const actors: FeedActor[] = [];
    let next: string | null = null;
    let bytes = 0;
    pages: for await (const ids of speakerPieces(this.views, topicId, knownAtMs, from?.after ?? '', 100)) {
      for (const [i, actorId] of ids.entries()) {
        const actor = await this.actorOf(actorId, topicId, knownAt, knownAtMs, includeRetracted);
        const json = JSON.stringify(actor);
        bytes += Buffer.byteLength(json);
        // Over the byte bound: this page ends before the actor, which opens the next one.
        if (actors.length > 0 && bytes > FEED_PAGE_BYTES) {
          next = encodeFeedCursor({ after: actors[actors.length - 1].actorId, knownAt: knownAt ?? null });
          break pages;
        }
        actors.push(actor);
        measured.set(actor, json);
        // A page of a big topic reads thousands of timelines: other requests go on between each few
        // (a hundred of ~2 KB each took 13-28 ms of one turn).
        if (i % ACTORS_PER_TURN === ACTORS_PER_TURN - 1) await yieldToRequests();
      }
    }
    // The first page carries the voices, over every speaker of the topic, those of later pages too.
    const voices = from === null ? await this.voices(topicId, knownAt, knownAtMs, actors, next !== null) : [];
    return { topic, knownAt: knownAt ?? null, actors, voices, directory: await this.directory(actors, voices), next };
  }

  /** The actor's timeline and its stream as known at `knownAtMs`; without `includeRetracted`, no event of a statement retracted by then. */
  private async actorOf(actorId: string, topicId: string, knownAt: string | undefined, knownAtMs: number, includeRetracted: boolean): Promise<FeedActor> {
    const timeline = await this.timelines.execute(new TimelineQuery(actorId, topicId, knownAt));
    const known = (await this.store.readStream(positionStream(actorId, topicId))).filter((e) => Date.parse(e.recordedAt) <= knownAtMs);
    const statementOf = (e: StoredEvent) => (e.data as { statementId: string }).statementId;
    const retracted = new Set(known.filter((e) => e.type === 'StatementRetracted').map(statementOf));
    const events = includeRetracted ? known : known.filter((e) => !retracted.has(statementOf(e)));
    return { actorId, timeline, events, retracted: includeRetracted ? this.ranges([...retracted], knownAtMs) : [] };
  }

  private ranges(statementIds: string[], knownAtMs: number): FeedRange[] {
    return statementIds.flatMap((statementId) => {
      const found = this.views.statement(statementId, knownAtMs);
      return found ? [{ statementId, earliest: formatInstant(found.earliest), latest: formatInstant(found.latest) }] : [];
    });
  }

  /** The actors a page names: speakers, the organizations they belong to, and those with a voice (each read by its id, never the whole listing). */
  private async directory(speakers: FeedActor[], voices: FeedVoice[]): Promise<FeedDirectoryEntry[]> {
    const named = new Set([...speakers.map((s) => s.actorId), ...voices.map((v) => v.organizationId)]);
    const found = new Map<string, ActorView>();
    // Thousands of actors on a big page (10-16 ms of one turn for 3,700): looked up a thousand at a time.
    let looked = 0;
    const lookUp = async (ids: Iterable<string>) => {
      for (const id of ids) {
        if (found.has(id)) continue;
        const actor = this.views.actor(id);
        if (actor) found.set(id, actor);
        if (++looked % SPEAKERS_PER_TURN === 0) await yieldToRequests();
      }
    };
    await lookUp(named);
    await lookUp([...found.values()].flatMap((actor) => actor.affiliations.map((a) => a.organizationId)));
    return [...found.values()].map(actorAnswer);
  }

  /**
   * Each organization's voice on the topic. `page` holds the first page's speakers; with `more`
   * pages, the others are listed too, and the timelines of those among an organization's members
   * are read here (the voice needs them; the page does not carry them).
   */
  private async voices(topicId: string, knownAt: string | undefined, knownAtMs: number, page: FeedActor[], more: boolean): Promise<FeedVoice[]> {
    const timelines = new Map(page.map((s) => [s.actorId, s.timeline]));
    const speakers = more ? await this.everySpeaker(topicId, knownAtMs) : page.map((s) => s.actorId);
    const involved = await this.voiceActors(speakers);
    const speaking = new Set(speakers);
    let read = 0;
    for (const { id } of involved) {
      if (timelines.has(id) || !speaking.has(id)) continue;
      timelines.set(id, await this.timelines.execute(new TimelineQuery(id, topicId, knownAt)));
      if (++read % 100 === 0) await yieldToRequests();
    }
    const voices: FeedVoice[] = [];
    for (const [organizationId, dates] of voiceSchedule(involved, timelines)) {
      const answers = this.voicesOf.atDates(organizationId, topicId, dates, knownAt);
      voices.push({ organizationId, samples: dates.map((date, i) => ({ date, voice: answers[i] })) });
    }
    return voices;
  }

  /**
   * What voiceSchedule needs of the record for these speakers: the organizations a speaker belongs
   * to, and every member of those (their roles bound the voice), by id. Only those can have a voice
   * on the topic, so the whole listing of actors (10,000 documents parsed in one turn, twice per
   * first page) is never read.
   */
  private async voiceActors(speakers: readonly string[]): Promise<ActorView[]> {
    const organizations = new Set<string>();
    for (const [i, actorId] of speakers.entries()) {
      for (const { organizationId } of this.views.actor(actorId)?.affiliations ?? []) organizations.add(organizationId);
      if (i % SPEAKERS_PER_TURN === SPEAKERS_PER_TURN - 1) await yieldToRequests();
    }
    const ids = new Set(organizations);
    for (const organizationId of organizations) for (const { actorId } of this.views.members(organizationId)) ids.add(actorId);
    // An organization of thousands of members: looked up a thousand at a time, like the directory.
    const actors: ActorView[] = [];
    for (const [i, id] of [...ids].sort().entries()) {
      const actor = this.views.actor(id);
      if (actor) actors.push(actor);
      if (i % SPEAKERS_PER_TURN === SPEAKERS_PER_TURN - 1) await yieldToRequests();
    }
    return actors;
  }

  /** Every actor with a statement on the topic as known at `knownAtMs`, read in pieces with pauses between. */
  private async everySpeaker(topicId: string, knownAtMs: number): Promise<string[]> {
    const ids: string[] = [];
    for await (const piece of speakerPieces(this.views, topicId, knownAtMs)) ids.push(...piece);
    return ids;
  }
}

interface FeedCursor {
  /** The last actor of the page before. */
  after: string;
  /** The first page's record time; null: before any event. */
  knownAt: string | null;
}

function encodeFeedCursor(cursor: FeedCursor): string {
  return Buffer.from(JSON.stringify([cursor.after, cursor.knownAt])).toString('base64url');
}

/** The cursor a `next` carried: the page's last actor and the record time; anything else is 400 on `cursor`. */
function decodeFeedCursor(text: string): { after: string; knownAt: string | undefined } {
  try {
    const [after, knownAt] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof after === 'string' && isSlug(after) && (knownAt === null || (typeof knownAt === 'string' && !Number.isNaN(Date.parse(knownAt))))) {
      return { after, knownAt: knownAt ?? undefined };
    }
  } catch {
    // Not base64url JSON: refused below like any other malformed cursor.
  }
  throw new InvalidValue('cursor must be the `next` of the previous page, unchanged', 'cursor');
}

/**
 * Each organization that may have a voice on the topic (not a person; someone affiliated with
 * it has spoken) and the days its voice can change on: the first and last days of its and its
 * affiliates' statements and, from the first of those on, the bounds of speaking roles.
 * `actors` holds at least every organization a speaker belongs to and all their members; any
 * other actor changes nothing.
 */
export function voiceSchedule(actors: readonly ActorView[], timelines: ReadonlyMap<string, TimelineAnswer>): Map<string, string[]> {
  const affiliates = new Map<string, ActorView[]>();
  for (const actor of actors) {
    for (const organizationId of new Set(actor.affiliations.map((a) => a.organizationId))) {
      const members = affiliates.get(organizationId);
      if (members) members.push(actor);
      else affiliates.set(organizationId, [actor]);
    }
  }
  // A voice can change where a statement may first have been made and where it is certainly made.
  const days = (actorId: string) => (timelines.get(actorId)?.entries ?? []).flatMap((e) => [utcDate(Date.parse(e.earliest)), utcDate(Date.parse(e.latest))]);
  const schedule = new Map<string, string[]>();
  for (const org of actors) {
    const members = affiliates.get(org.id) ?? [];
    if (org.kind === 'person' || !members.some((m) => days(m.id).length > 0)) continue;
    const dates = new Set([org, ...members].flatMap((a) => days(a.id)));
    const first = [...dates].sort()[0];
    for (const member of members) {
      for (const a of member.affiliations) {
        if (a.organizationId !== org.id || !a.speaksFor) continue;
        if (a.from > first) dates.add(a.from);
        if (a.until && a.until >= first) dates.add(utcDate(startInstant(a.until) + 86_400_000));
      }
    }
    schedule.set(org.id, [...dates].sort());
  }
  return schedule;
}
