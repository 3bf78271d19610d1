import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ActorNotFound, endInstant, type Source, type Stance, TopicNotFound } from '@positions/domain';
import { KNOWN_NOW, ReadModels } from '@positions/projections';
import { CLOCK, type Clock } from '../tokens';

export interface PositionAnswer {
  actorId: string;
  topicId: string;
  at: string;
  knownAt: string;
  stance: Stance | null;
  since: string | null;
  /** The statement behind the answer: its id leads to the events it came from. */
  statement: {
    statementId: string;
    statedOn: string;
    summary: string;
    quote: string | null;
    source: Source;
    onBehalfOf: string | null;
    recordedAt: string;
  } | null;
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
    const now = this.clock().toISOString();
    const atMs = endInstant(at ?? now, 'at');
    const knownAtMs = knownAt === undefined ? KNOWN_NOW : endInstant(knownAt, 'knownAt');
    if (!this.views.actor(actorId)) throw new ActorNotFound(actorId, 'actorId');
    const topic = this.views.topic(topicId);
    if (!topic) throw new TopicNotFound(topicId, 'topicId');
    const found = this.views.positionAt(actorId, topicId, atMs, knownAtMs);
    const answer = { actorId, topicId, at: at ?? now, knownAt: knownAt ?? now };
    if (!found) return { ...answer, stance: null, since: null, statement: null };
    const { statement, since } = found;
    const { stance, statedOn, summary, quote, source, onBehalfOf } = statement.fields;
    return {
      ...answer,
      stance: topic.stances.find((s) => s.code === stance) ?? null,
      since,
      statement: { statementId: statement.statementId, statedOn, summary, quote: quote ?? null, source, onBehalfOf: onBehalfOf ?? null, recordedAt: statement.recordedAt },
    };
  }
}
