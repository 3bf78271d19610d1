import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { classifyShift, type Direction, endInstant, InvalidValue, type Shift, type Stance } from '@positions/domain';
import { ReadModels } from '@positions/projections';
import { CLOCK, type Clock } from '../tokens';
import { opennessIn, type OpennessAnswer, requireTopic, scoresOf, stanceIn, timeOf } from './answer-support';

export interface LandscapeAnswer {
  topicId: string;
  at: string;
  knownAt: string;
  positions: ({ actorId: string; stance: Stance | null; since: string; statementId: string } & OpennessAnswer)[];
}

/** Every actor's position on a topic at a date, by actor id. */
export class TopicLandscapeQuery extends Query<LandscapeAnswer> {
  constructor(
    readonly topicId: string,
    readonly at?: string,
    readonly knownAt?: string,
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

  async execute({ topicId, at, knownAt }: TopicLandscapeQuery): Promise<LandscapeAnswer> {
    const time = timeOf(this.clock().toISOString(), at, knownAt, this.views.knownThrough());
    const topic = requireTopic(this.views, topicId);
    // Every actor with a known position: one with only possibly-made statements has none yet.
    const positions = this.views.landscapeEntries(topicId, time.atMs, time.knownAtMs, scoresOf(topic)).flatMap((entry) =>
      entry.stance === null || entry.statementId === null || entry.since === null
        ? []
        : [{ actorId: entry.actorId, stance: stanceIn(topic, entry.stance), since: entry.since, statementId: entry.statementId, ...opennessIn(topic, entry) }],
    );
    return { topicId, at: time.at, knownAt: time.knownAt, positions };
  }
}

export interface ChangesAnswer {
  topicId: string;
  from: string;
  to: string;
  knownAt: string;
  changes: Change[];
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

/** Who changed stance between two dates: the stance code at `to` differs from that at `from`. */
export class TopicChangesQuery extends Query<ChangesAnswer> {
  constructor(
    readonly topicId: string,
    readonly from: string,
    readonly to: string,
    readonly knownAt?: string,
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

  async execute({ topicId, from, to, knownAt }: TopicChangesQuery): Promise<ChangesAnswer> {
    const fromMs = endInstant(from, 'from');
    const toMs = endInstant(to, 'to');
    if (toMs < fromMs) throw new InvalidValue('to must not be before from', 'to');
    const time = timeOf(this.clock().toISOString(), undefined, knownAt, this.views.knownThrough());
    const topic = requireTopic(this.views, topicId);
    const scoreOf = scoresOf(topic);
    const before = new Map(this.views.landscapeEntries(topicId, fromMs, time.knownAtMs, scoreOf).map((p) => [p.actorId, p]));
    const changes = this.views
      .landscapeEntries(topicId, toMs, time.knownAtMs, scoreOf)
      .filter((p) => p.stance !== null && (before.get(p.actorId)?.stance ?? null) !== p.stance)
      .map((after): Change => {
        const then = before.get(after.actorId);
        const was = then?.stance ? stanceIn(topic, then.stance) : null;
        const now = after.stance === null ? null : stanceIn(topic, after.stance);
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
      });
    return { topicId, from, to, knownAt: time.knownAt, changes };
  }
}
