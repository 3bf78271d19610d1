import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { type Stance, type VoiceStatement, voiceAt } from '@positions/domain';
import { type IndexedStatement, ReadModels } from '@positions/projections';
import { CLOCK, type Clock } from '../tokens';
import type { PositionAnswer } from './position-at.query';
import { opennessIn, requireActor, requireTopic, scoresOf, stanceIn, statementRef, timeOf } from './answer-support';

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
    return this.atDates(organizationId, topicId, [at], knownAt)[0];
  }

  /**
   * The voice at each of `dates` (undefined: now), as `execute` answers it at each: the members and
   * their statements are read once, since neither depends on the date (the topic feed samples many).
   */
  atDates(organizationId: string, topicId: string, dates: (string | undefined)[], knownAt?: string): VoiceAnswer[] {
    const now = this.clock().toISOString();
    const knownThrough = this.views.knownThrough();
    const times = dates.map((at) => timeOf(now, at, knownAt, knownThrough));
    const { knownAtMs } = timeOf(now, undefined, knownAt, knownThrough);
    requireActor(this.views, organizationId);
    const topic = requireTopic(this.views, topicId);
    // Affiliations are applied at query time (correcting one re-attributes past statements),
    // as the record stood at knownAt.
    const members = this.views.members(organizationId, knownAtMs);
    const speakers = new Set([organizationId, ...members.map((m) => m.actorId)]);
    const statements = [...speakers].flatMap((actorId) => this.views.timeline(actorId, topicId, knownAtMs));
    const byId = new Map(statements.map((s) => [s.statementId, s]));
    const voiceStatements = statements.map(toVoiceStatement);
    return times.map((time) => {
      const voice = voiceAt(organizationId, voiceStatements, members, time.at, scoresOf(topic));
      const winner = voice.winner ? byId.get(voice.winner.statementId) : undefined;
      return {
        actorId: organizationId,
        topicId,
        at: time.at,
        knownAt: time.knownAt,
        stance: winner ? stanceIn(topic, winner.fields.stance) : null,
        since: voice.since,
        statement: winner ? statementRef(winner) : null,
        ...opennessIn(topic, voice),
        speaker: voice.winner?.actorId ?? null,
        voices: voice.voices.map((v) => ({ actorId: v.actorId, stance: stanceIn(topic, v.stance), statementId: v.statementId })),
        divergent: voice.divergent,
      };
    });
  }
}

/** The index keeps each statement's range as recorded: the rules read it as it is. */
function toVoiceStatement({ statementId, actorId, fields, statedPosition, earliest, latest }: IndexedStatement): VoiceStatement {
  return { statementId, actorId, stance: fields.stance, statedOn: fields.statedOn, earliest, latest, statedPosition, ...(fields.onBehalfOf && { onBehalfOf: fields.onBehalfOf }) };
}
