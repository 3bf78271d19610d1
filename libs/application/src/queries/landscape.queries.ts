import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { classifyShift, type Direction, endInstant, InvalidValue, type Shift, type Stance } from '@positions/domain';
import { ReadModels } from '@positions/projections';
import { CLOCK, type Clock } from '../tokens';
import { requireTopic, stanceIn, timeOf } from './answer-support';

export interface LandscapeAnswer {
  topicId: string;
  at: string;
  knownAt: string;
  positions: { actorId: string; stance: Stance | null; since: string; statementId: string }[];
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
    const time = timeOf(this.clock().toISOString(), at, knownAt);
    const topic = requireTopic(this.views, topicId);
    const positions = this.views.landscapeEntries(topicId, time.atMs, time.knownAtMs).map(({ actorId, stance, since, statementId }) => ({
      actorId,
      stance: stanceIn(topic, stance),
      since,
      statementId,
    }));
    return { topicId, at: time.at, knownAt: time.knownAt, positions };
  }
}

export interface ChangesAnswer {
  topicId: string;
  from: string;
  to: string;
  knownAt: string;
  changes: { actorId: string; before: Stance | null; after: Stance | null; shift: Shift; direction: Direction | null }[];
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
    const time = timeOf(this.clock().toISOString(), undefined, knownAt);
    const topic = requireTopic(this.views, topicId);
    const before = new Map(this.views.landscapeEntries(topicId, fromMs, time.knownAtMs).map((p) => [p.actorId, p.stance]));
    const changes = this.views
      .landscapeEntries(topicId, toMs, time.knownAtMs)
      .filter((p) => before.get(p.actorId) !== p.stance)
      .map(({ actorId, stance }) => {
        const was = before.has(actorId) ? stanceIn(topic, before.get(actorId) as string) : null;
        const now = stanceIn(topic, stance);
        return { actorId, before: was, after: now, ...classifyShift(was ? was.score : null, now?.score ?? 0) };
      });
    return { topicId, from, to, knownAt: time.knownAt, changes };
  }
}
