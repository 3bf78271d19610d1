import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { classifyShift, type Direction, endInstant, InvalidValue, type Shift, type Stance } from '@positions/domain';
import { type LandscapeEntry, ReadModels, type TopicView } from '@positions/projections';
import { CLOCK, type Clock } from '../tokens';
import { type ActorPageRequest, DEFAULT_ACTOR_PAGE, fillActorPage, fingerprintOf, readCursor, writeCursor } from './actor-pages';
import { opennessIn, type OpennessAnswer, requireTopic, scoresOf, stanceIn, timeOf } from './answer-support';

export interface LandscapeAnswer {
  topicId: string;
  at: string;
  knownAt: string;
  positions: ({ actorId: string; stance: Stance | null; since: string; statementId: string } & OpennessAnswer)[];
  /** The cursor of the next page; null on the last. */
  next: string | null;
}

/** Every actor's position on a topic at a date, by actor id, a page at a time. */
export class TopicLandscapeQuery extends Query<LandscapeAnswer> {
  constructor(
    readonly topicId: string,
    readonly at?: string,
    readonly knownAt?: string,
    readonly page: ActorPageRequest = {},
  ) {
    super();
  }
}

@QueryHandler(TopicLandscapeQuery)
export class TopicLandscapeHandler implements IQueryHandler<TopicLandscapeQuery> {
  constructor(
    private readonly views: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ topicId, at, knownAt, page = {} }: TopicLandscapeQuery): Promise<LandscapeAnswer> {
    const fingerprint = fingerprintOf(['positions', topicId, at, knownAt]);
    const cursor = page.cursor === undefined ? undefined : readCursor(page.cursor, fingerprint);
    const time = cursor ? cursor.t : timeOf(this.clock().toISOString(), at, knownAt, this.views.knownThrough());
    const topic = requireTopic(this.views, topicId);
    const scoreOf = scoresOf(topic);
    // Every actor with a known position: one with only possibly-made statements has none yet.
    const { entries, after } = await fillActorPage(
      cursor?.a ?? '',
      page.limit ?? DEFAULT_ACTOR_PAGE,
      (from, n) => {
        const through = this.views.topicActorsEnd(topicId, from, n);
        return { entries: this.views.landscapeEntries(topicId, time.atMs, time.knownAtMs, scoreOf, { after: from, ...(through !== null && { through }) }), through };
      },
      (entry) =>
        entry.stance === null || entry.statementId === null || entry.since === null
          ? null
          : { actorId: entry.actorId, stance: stanceIn(topic, entry.stance), since: entry.since, statementId: entry.statementId, ...opennessIn(topic, entry) },
    );
    const next = after === null ? null : writeCursor({ f: fingerprint, t: time, a: after });
    return { topicId, at: time.at, knownAt: time.knownAt, positions: entries, next };
  }
}

export interface ChangesAnswer {
  topicId: string;
  from: string;
  to: string;
  knownAt: string;
  changes: Change[];
  /** The cursor of the next page; null on the last. */
  next: string | null;
}

/** One actor's change, with how certain each side is. */
export interface Change {
  actorId: string;
  before: Stance | null;
  after: Stance | null;
  shift: Shift;
  direction: Direction | null;
  beforeCertainty: OpennessAnswer['certainty'];
  beforeAlternatives: OpennessAnswer['alternatives'];
  afterCertainty: OpennessAnswer['certainty'];
  afterAlternatives: OpennessAnswer['alternatives'];
}

/** Who changed stance between two dates: the stance code at `to` differs from that at `from`; a page at a time. */
export class TopicChangesQuery extends Query<ChangesAnswer> {
  constructor(
    readonly topicId: string,
    readonly from: string,
    readonly to: string,
    readonly knownAt?: string,
    readonly page: ActorPageRequest = {},
  ) {
    super();
  }
}

@QueryHandler(TopicChangesQuery)
export class TopicChangesHandler implements IQueryHandler<TopicChangesQuery> {
  constructor(
    private readonly views: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ topicId, from, to, knownAt, page = {} }: TopicChangesQuery): Promise<ChangesAnswer> {
    const fromMs = endInstant(from, 'from');
    const toMs = endInstant(to, 'to');
    if (toMs < fromMs) throw new InvalidValue('to must not be before from', 'to');
    const fingerprint = fingerprintOf(['changes', topicId, from, to, knownAt]);
    const cursor = page.cursor === undefined ? undefined : readCursor(page.cursor, fingerprint);
    const time = cursor ? cursor.t : timeOf(this.clock().toISOString(), undefined, knownAt, this.views.knownThrough());
    const topic = requireTopic(this.views, topicId);
    const scoreOf = scoresOf(topic);
    const { entries, after } = await fillActorPage(
      cursor?.a ?? '',
      page.limit ?? DEFAULT_ACTOR_PAGE,
      (start, n) => {
        // One range of actors serves both dates.
        const through = this.views.topicActorsEnd(topicId, start, n);
        const range = { after: start, ...(through !== null && { through }) };
        const later = this.views.landscapeEntries(topicId, toMs, time.knownAtMs, scoreOf, range);
        // A statement begun by `from` is begun by `to`: no actor without an entry at `to` has one at `from`.
        const earlier = new Map(later.length === 0 ? [] : this.views.landscapeEntries(topicId, fromMs, time.knownAtMs, scoreOf, range).map((p) => [p.actorId, p]));
        return { entries: later.map((entry) => ({ actorId: entry.actorId, then: earlier.get(entry.actorId), now: entry })), through };
      },
      ({ then, now }) => changeOf(topic, then, now),
    );
    const next = after === null ? null : writeCursor({ f: fingerprint, t: time, a: after });
    return { topicId, from, to, knownAt: time.knownAt, changes: entries, next };
  }
}

/** An actor's change between two entries, or null when its stance code at the later one is none or the same. */
function changeOf(topic: TopicView, then: LandscapeEntry | undefined, after: LandscapeEntry): Change | null {
  if (after.stance === null || (then?.stance ?? null) === after.stance) return null;
  const was = then?.stance ? stanceIn(topic, then.stance) : null;
  const now = stanceIn(topic, after.stance);
  const [beforeSide, afterSide] = [then ? opennessIn(topic, then) : { certainty: 'certain' as const, alternatives: [] }, opennessIn(topic, after)];
  return {
    actorId: after.actorId,
    before: was,
    after: now,
    ...classifyShift(was ? was.score : null, now?.score ?? 0),
    beforeCertainty: beforeSide.certainty,
    beforeAlternatives: beforeSide.alternatives,
    afterCertainty: afterSide.certainty,
    afterAlternatives: afterSide.alternatives,
  };
}
