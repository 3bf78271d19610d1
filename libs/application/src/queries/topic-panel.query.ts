import { Inject } from '@nestjs/common';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { answerAt, type DatedStatement, endInstant, InvalidValue, startInstant } from '@positions/domain';
import { type IndexedStatement, ReadModels } from '@positions/projections';
import { CLOCK, type Clock } from '../tokens';
import { requireTopic, stanceIn, timeOf } from './answer-support';
import { type PanelStep, type Period, periodCount, periodsBetween } from './panel-periods';
import { speakerPieces } from './topic-speakers';

/** At most this many rows in one panel: more is refused, asking for a narrower range. */
export const MAX_PANEL_ROWS = 1_000_000;

/** One cell of a panel: an actor's position at the end of a period. */
export interface PanelRow {
  actorId: string;
  period: string;
  stance: string | null;
  score: number | null;
  certainty: string | null;
  statementId: string | null;
}

export interface TopicPanel {
  topicId: string;
  from: string;
  to: string;
  step: PanelStep;
  knownAt: string;
  rowCount: number;
  /**
   * The rows, actor by actor (by actorId), period by period, in batches of PAUSE_EVERY actors'
   * rows: produced as they are read, never all held at once, with a pause between batches.
   */
  rows: AsyncIterable<readonly PanelRow[]>;
}

export class TopicPanelQuery extends Query<TopicPanel> {
  constructor(
    readonly topicId: string,
    readonly from: string,
    readonly to: string,
    readonly step: PanelStep,
    readonly knownAt?: string,
  ) {
    super();
  }
}

/** How many of the topic's actors are read from the index at a time while rows stream out. */
const ACTOR_BATCH = 500;
/**
 * Other work is let in after this many actors' rows: a panel of 10,000 actors reads 10,000
 * timelines (~0.6 s), which in one go held the service for all of it.
 */
const PAUSE_EVERY = 100;

@QueryHandler(TopicPanelQuery)
export class TopicPanelHandler implements IQueryHandler<TopicPanelQuery> {
  constructor(
    private readonly views: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ topicId, from, to, step, knownAt }: TopicPanelQuery): Promise<TopicPanel> {
    const topic = requireTopic(this.views, topicId);
    if (startInstant(from, 'from') > startInstant(to, 'to')) throw new InvalidValue('from must not be after to', 'from');
    // The record is pinned when the panel is asked for: rows read later answer as of then.
    const { knownAtMs } = timeOf(this.clock().toISOString(), undefined, knownAt, this.views.knownThrough());
    let actorCount = 0;
    for await (const piece of speakerPieces(this.views, topicId, knownAtMs)) actorCount += piece.length;
    const periodTotal = periodCount(step, from, to);
    const rowCount = actorCount * periodTotal;
    if (rowCount > MAX_PANEL_ROWS) {
      throw new InvalidValue(
        `the panel would have ${actorCount} actors × ${periodTotal} periods, more than ${MAX_PANEL_ROWS} rows: ask for a narrower from–to or a longer step`,
        'from',
      );
    }
    const periods = periodsBetween(step, from, to, periodTotal);
    const views = this.views;
    async function* rows(): AsyncGenerator<PanelRow[]> {
      for await (const ids of speakerPieces(views, topicId, knownAtMs, '', ACTOR_BATCH)) {
        for (let i = 0; i < ids.length; i += PAUSE_EVERY) {
          yield ids.slice(i, i + PAUSE_EVERY).flatMap((actorId) => actorRows(actorId, views.timeline(actorId, topicId, knownAtMs), periods, (code) => stanceIn(topic, code)?.score ?? null));
          await yieldToRequests();
        }
      }
    }
    return { topicId, from, to, step, knownAt: knownAt ?? new Date(knownAtMs).toISOString(), rowCount, rows: rows() };
  }
}

/**
 * One actor's rows: at each period's end, the position `positionAt` answers there (the domain's
 * `answerAt` over the actor's timeline, read once): the certain stance, the statement behind it,
 * and whether a statement possibly made by then leaves the answer open.
 */
function actorRows(actorId: string, timeline: IndexedStatement[], periods: Period[], scoreOf: (code: string) => number | null): PanelRow[] {
  const dated: DatedStatement[] = timeline.map((s) => ({ statementId: s.statementId, stance: s.fields.stance, earliest: s.earliest, latest: s.latest, statedPosition: s.statedPosition }));
  return periods.map((period) => {
    const { winner, certainty } = answerAt(dated, endInstant(period.lastDay), (code) => scoreOf(code) ?? 0);
    return winner
      ? { actorId, period: period.label, stance: winner.stance, score: scoreOf(winner.stance), certainty, statementId: winner.statementId }
      : { actorId, period: period.label, stance: null, score: null, certainty, statementId: null };
  });
}
