import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { recordedRange, type Stance, type VoiceStatement, voiceAt } from '@positions/domain';
import { type IndexedStatement, ReadModels } from '@positions/projections';
import { CLOCK, type Clock } from '../tokens';
import type { PositionAnswer } from './position-at.query';
import { requireActor, requireTopic, stanceIn, statementRef, timeOf } from './answer-support';

export interface VoiceAnswer extends PositionAnswer {
  speaker: string | null;
  voices: { actorId: string; stance: Stance | null; statementId: string }[];
  divergent: boolean;
}

/** An organization's position through its own statements and its spokespeople's (docs/domain.md, "Voices"). */
export class VoiceQuery extends Query<VoiceAnswer> {
  constructor(
    readonly organizationId: string,
    readonly topicId: string,
    readonly at?: string,
    readonly knownAt?: string,
  ) {
    super();
  }
}

@QueryHandler(VoiceQuery)
export class VoiceHandler implements IQueryHandler<VoiceQuery> {
  constructor(
    private readonly views: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ organizationId, topicId, at, knownAt }: VoiceQuery): Promise<VoiceAnswer> {
    const time = timeOf(this.clock().toISOString(), at, knownAt);
    requireActor(this.views, organizationId);
    const topic = requireTopic(this.views, topicId);
    // Affiliations are applied at query time (correcting one re-attributes past statements),
    // as the record stood at knownAt.
    const members = this.views.members(organizationId, time.knownAtMs);
    const speakers = new Set([organizationId, ...members.map((m) => m.actorId)]);
    const statements = [...speakers].flatMap((actorId) => this.views.timeline(actorId, topicId, time.knownAtMs));
    const byId = new Map(statements.map((s) => [s.statementId, s]));
    const voice = voiceAt(organizationId, statements.map(toVoiceStatement), members, time.at, (code) => stanceIn(topic, code)?.score ?? 0);
    const winner = voice.winner ? byId.get(voice.winner.statementId) : undefined;
    return {
      actorId: organizationId,
      topicId,
      at: time.at,
      knownAt: time.knownAt,
      stance: winner ? stanceIn(topic, winner.fields.stance) : null,
      since: voice.since,
      statement: winner ? statementRef(winner) : null,
      speaker: voice.winner?.actorId ?? null,
      voices: voice.voices.map((v) => ({ actorId: v.actorId, stance: stanceIn(topic, v.stance), statementId: v.statementId })),
      divergent: voice.divergent,
    };
  }

}

function toVoiceStatement({ statementId, actorId, fields, statedPosition, knownFrom }: IndexedStatement): VoiceStatement {
  const { earliest, latest } = recordedRange(fields.statedOn, Date.parse(knownFrom));
  return { statementId, actorId, stance: fields.stance, statedOn: fields.statedOn, earliest, latest, statedPosition, ...(fields.onBehalfOf && { onBehalfOf: fields.onBehalfOf }) };
}
