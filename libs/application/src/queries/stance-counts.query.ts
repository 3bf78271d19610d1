import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { answerAt, type DatedStatement, endInstant, InvalidValue, startInstant, utcDate } from '@positions/domain';
import { type ActorTopicStatements, ReadModels } from '@positions/projections';
import { requireTopic } from './answer-support';

export const MAX_STANCE_COUNT_DAYS = 366;
const DAY = 86_400_000;

export interface StanceCountsAnswer {
  topicId: string;
  from: string;
  to: string;
  /**
   * For each day, how many actors certainly held each stance at its end (every code of the
   * codebook, zeros included), and how many of the actors' answers that day were uncertain
   * (counted under their certain stance, if any).
   */
  days: { date: string; counts: Record<string, number>; uncertain: number }[];
}

/** Daily counts of actors per stance on a topic, from a view built purely by replaying the log. */
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
    const first = startInstant(from, 'from');
    const last = startInstant(to, 'to');
    if (last < first) throw new InvalidValue('to must not be before from', 'to');
    if ((last - first) / DAY >= MAX_STANCE_COUNT_DAYS) throw new InvalidValue(`at most ${MAX_STANCE_COUNT_DAYS} days at a time`, 'to');
    const topic = requireTopic(this.views, topicId);
    const actors = this.views.stanceCountRows(topicId).map(datedStatements);
    const days = [];
    for (let day = first; day <= last; day += DAY) {
      const counts = Object.fromEntries(topic.stances.map((s) => [s.code, 0]));
      let uncertain = 0;
      for (const statements of actors) {
        const { winner, certainty } = answerAt(statements, endInstant(utcDate(day)));
        if (winner) counts[winner.stance] = (counts[winner.stance] ?? 0) + 1;
        if (certainty === 'uncertain') uncertain += 1;
      }
      days.push({ date: utcDate(day), counts, uncertain });
    }
    return { topicId, from, to, days };
  }
}

/** One actor's statements as the rules of DOMAIN.md read them (ranges in epoch ms, place in the log). */
function datedStatements(row: ActorTopicStatements): DatedStatement[] {
  return Object.entries(row.statements).map(([statementId, s]) => ({ statementId, stance: s.stance, earliest: s.earliest, latest: s.latest, statedPosition: s.position }));
}
