import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Stance } from '@positions/domain';
import { ReadModels } from '@positions/projections';
import { CLOCK, type Clock } from '../tokens';
import { CERTAINLY_NOTHING, opennessIn, type OpennessAnswer, requireActor, requireTopic, scoresOf, type StatementRef, stanceIn, statementRef, timeOf } from './answer-support';

export interface PositionAnswer extends OpennessAnswer {
  actorId: string;
  topicId: string;
  at: string;
  knownAt: string;
  stance: Stance | null;
  since: string | null;
  /** The statement behind the answer: its id leads to the events it came from. */
  statement: StatementRef | null;
}

/** `at` and `knownAt` as given (a date or a date-time), or undefined for now. */
export class PositionAtQuery extends Query<PositionAnswer> {
  constructor(
    readonly actorId: string,
    readonly topicId: string,
    readonly at?: string,
    readonly knownAt?: string,
  ) {
    super();
  }
}

@QueryHandler(PositionAtQuery)
export class PositionAtHandler implements IQueryHandler<PositionAtQuery> {
  constructor(
    private readonly views: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ actorId, topicId, at, knownAt }: PositionAtQuery): Promise<PositionAnswer> {
    const time = timeOf(this.clock().toISOString(), at, knownAt, this.views.knownThrough());
    requireActor(this.views, actorId);
    const topic = requireTopic(this.views, topicId);
    const found = this.views.positionAt(actorId, topicId, time.atMs, time.knownAtMs, scoresOf(topic));
    const answer = { actorId, topicId, at: time.at, knownAt: time.knownAt };
    if (!found?.statement) return { ...answer, stance: null, since: null, statement: null, ...(found ? opennessIn(topic, found) : CERTAINLY_NOTHING) };
    const { statement, since } = found;
    return { ...answer, stance: stanceIn(topic, statement.fields.stance), since, statement: statementRef(statement), ...opennessIn(topic, found) };
  }
}
