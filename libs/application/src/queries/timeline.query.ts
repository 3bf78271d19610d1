import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { classifyShift, type Direction, formatInstant, type Shift, type Stance } from '@positions/domain';
import { ReadModels } from '@positions/projections';
import { CLOCK, type Clock } from '../tokens';
import { requireActor, requireTopic, stanceIn, timeOf } from './answer-support';

export interface TimelineEntry {
  statementId: string;
  statedOn: string;
  /** The range it may have been said in (ISO-8601 UTC): entries come by earliest, then latest, then record order. */
  earliest: string;
  latest: string;
  stance: Stance | null;
  summary: string;
  shift: Shift;
  direction: Direction | null;
}

export interface TimelineAnswer {
  actorId: string;
  topicId: string;
  knownAt: string;
  entries: TimelineEntry[];
}

/** An actor's statements on a topic by earliest (then latest, then record order), each classed against the one before. */
export class TimelineQuery extends Query<TimelineAnswer> {
  constructor(
    readonly actorId: string,
    readonly topicId: string,
    readonly knownAt?: string,
  ) {
    super();
  }
}

@QueryHandler(TimelineQuery)
export class TimelineHandler implements IQueryHandler<TimelineQuery> {
  constructor(
    private readonly views: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ actorId, topicId, knownAt }: TimelineQuery): Promise<TimelineAnswer> {
    const time = timeOf(this.clock().toISOString(), undefined, knownAt, this.views.knownThrough());
    requireActor(this.views, actorId);
    const topic = requireTopic(this.views, topicId);
    let previous: number | null = null;
    const entries = this.views.timeline(actorId, topicId, time.knownAtMs).map(({ statementId, fields, earliest, latest }) => {
      const stance = stanceIn(topic, fields.stance);
      const score = stance?.score ?? 0;
      const range = { earliest: formatInstant(earliest), latest: formatInstant(latest) };
      const entry = { statementId, statedOn: fields.statedOn, ...range, stance, summary: fields.summary, ...classifyShift(previous, score) };
      previous = score;
      return entry;
    });
    return { actorId, topicId, knownAt: time.knownAt, entries };
  }
}
