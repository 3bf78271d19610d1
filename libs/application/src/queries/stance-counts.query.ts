import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InvalidValue, startInstant, utcDate } from '@positions/domain';
import { ReadModels } from '@positions/projections';
import { requireTopic } from './answer-support';

/**
 * The most days one request may ask: ten years and leap days with room to spare. An answer
 * is then at most ~0.5 MB, and its cost grows with the days asked, never with the record.
 */
export const MAX_STANCE_COUNT_DAYS = 4000;
const DAY = 86_400_000;

export interface StanceCountsAnswer {
  topicId: string;
  from: string;
  to: string;
  /** For each day, how many actors held each stance at its end (every code of the codebook, zeros included). */
  days: { date: string; counts: Record<string, number> }[];
}

/** Daily counts of actors per stance on a topic, from a view of the changes of the counts per day. */
export class StanceCountsQuery extends Query<StanceCountsAnswer> {
  constructor(
    readonly topicId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super();
  }
}

@QueryHandler(StanceCountsQuery)
export class StanceCountsHandler implements IQueryHandler<StanceCountsQuery> {
  constructor(private readonly views: ReadModels) {}

  async execute({ topicId, from, to }: StanceCountsQuery): Promise<StanceCountsAnswer> {
    const first = Math.floor(startInstant(from, 'from') / DAY);
    const last = Math.floor(startInstant(to, 'to') / DAY);
    if (last < first) throw new InvalidValue('to must not be before from', 'to');
    if (last - first >= MAX_STANCE_COUNT_DAYS) throw new InvalidValue(`at most ${MAX_STANCE_COUNT_DAYS} days at a time`, 'to');
    const topic = requireTopic(this.views, topicId);
    const zeros = Object.fromEntries(topic.stances.map((s) => [s.code, 0]));
    // Days with the same counts share one object from the view: complete each once.
    const complete = new Map<Record<string, number>, Record<string, number>>();
    const days = this.views.stanceCounts(topicId, first, last).map((counts, i) => {
      if (!complete.has(counts)) complete.set(counts, { ...zeros, ...counts });
      return { date: utcDate((first + i) * DAY), counts: complete.get(counts) as Record<string, number> };
    });
    return { topicId, from, to, days };
  }
}
