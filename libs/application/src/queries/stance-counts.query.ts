import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { endInstant, InvalidValue, startInstant, utcDate } from '@positions/domain';
import { type ActorTopicStatements, ReadModels } from '@positions/projections';
import { requireTopic } from './answer-support';

export const MAX_STANCE_COUNT_DAYS = 366;
const DAY = 86_400_000;

export interface StanceCountsAnswer {
  topicId: string;
  from: string;
  to: string;
  /** For each day, how many actors held each stance at its end (every code of the codebook, zeros included). */
  days: { date: string; counts: Record<string, number> }[];
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
    const timelines = this.views.stanceCountRows(topicId).map(changesOf);
    const days = [];
    for (let day = first; day <= last; day += DAY) {
      const counts = Object.fromEntries(topic.stances.map((s) => [s.code, 0]));
      for (const timeline of timelines) {
        const held = stanceAt(timeline, endInstant(utcDate(day)));
        if (held !== null) counts[held] = (counts[held] ?? 0) + 1;
      }
      days.push({ date: utcDate(day), counts });
    }
    return { topicId, from, to, days };
  }
}

type Change = { at: number; position: number; stance: string };

/** One actor's statements as changes of stance in valid-time order (ties: the later recorded). */
function changesOf(row: ActorTopicStatements): Change[] {
  return Object.values(row.statements)
    .map((s) => ({ at: startInstant(s.statedOn), position: s.position, stance: s.stance }))
    .sort((a, b) => a.at - b.at || a.position - b.position);
}

function stanceAt(changes: readonly Change[], instant: number): string | null {
  let held: string | null = null;
  for (const change of changes) {
    if (change.at > instant) break;
    held = change.stance;
  }
  return held;
}
