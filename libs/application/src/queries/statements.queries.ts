import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { formatInstant, type IntakeProvenance, type Source, type Stance, StatementNotFound } from '@positions/domain';
import { type EventStore, type StoredEvent } from '@positions/event-store';
import { ReadModels } from '@positions/projections';
import { StatementStreams } from '../statement-locator';
import { CLOCK, type Clock, EVENT_STORE } from '../tokens';
import { timeOf } from './answer-support';

export interface StatementAnswer {
  statementId: string;
  actorId: string;
  topicId: string;
  stance: Stance | null;
  summary: string;
  quote: string | null;
  statedOn: string;
  statedOnWording: string | null;
  /** The range it may have been said in (ISO-8601 UTC), clipped at the recording of its statedOn. */
  earliest: string;
  latest: string;
  source: Source;
  onBehalfOf: string | null;
  /** The intake draft and candidate it was recorded from; only on statements recorded from an article's candidate. */
  intake?: IntakeProvenance;
  retracted: boolean;
  recordedAt: string;
  correctedAt: string | null;
}

/** A statement as the record stood at `knownAt` (a date or date-time; undefined: now). */
export class GetStatementQuery extends Query<StatementAnswer> {
  constructor(
    readonly statementId: string,
    readonly knownAt?: string,
  ) {
    super();
  }
}

@QueryHandler(GetStatementQuery)
export class GetStatementHandler implements IQueryHandler<GetStatementQuery> {
  constructor(
    private readonly views: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ statementId, knownAt }: GetStatementQuery): Promise<StatementAnswer> {
    const answer = statementAnswer(this.views, statementId, timeOf(this.clock().toISOString(), undefined, knownAt, this.views.knownThrough()).knownAtMs);
    // Recorded after `knownAt`: at that moment the statement did not exist.
    if (!answer) throw new StatementNotFound(statementId);
    return answer;
  }
}

/** The one builder of a statement answer, as known at `knownAtMs`; null when not recorded yet. Search cites statements with it too. */
export function statementAnswer(views: ReadModels, statementId: string, knownAtMs: number): StatementAnswer | null {
  const found = views.statement(statementId, knownAtMs);
  if (!found) return null;
  const { stance, summary, quote, statedOn, statedOnWording, source, onBehalfOf, intake } = found.fields;
  const codebook = views.topic(found.topicId)?.stances ?? [];
  return {
    statementId,
    actorId: found.actorId,
    topicId: found.topicId,
    stance: codebook.find((s) => s.code === stance) ?? null,
    summary,
    quote: quote ?? null,
    statedOn,
    statedOnWording: statedOnWording ?? null,
    earliest: formatInstant(found.earliest),
    latest: formatInstant(found.latest),
    source,
    onBehalfOf: onBehalfOf ?? null,
    ...(intake !== undefined && { intake }),
    retracted: found.retractedAt !== null,
    recordedAt: found.recordedAt,
    correctedAt: found.correctedAt,
  };
}

/** Every event about a statement, in log order. */
export class StatementHistoryQuery extends Query<{ statementId: string; events: StoredEvent[] }> {
  constructor(readonly statementId: string) {
    super();
  }
}

@QueryHandler(StatementHistoryQuery)
export class StatementHistoryHandler implements IQueryHandler<StatementHistoryQuery> {
  constructor(
    private readonly statements: StatementStreams,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ statementId }: StatementHistoryQuery): Promise<{ statementId: string; events: StoredEvent[] }> {
    const { streamId } = this.statements.locate(statementId);
    const events = await this.store.readStream(streamId);
    return { statementId, events: events.filter((e) => (e.data as { statementId?: unknown }).statementId === statementId) };
  }
}
