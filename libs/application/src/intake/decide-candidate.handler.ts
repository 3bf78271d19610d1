import { Inject } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type IntakeCandidate, intakeDecider, intakeStream, type IntakeState, InvalidValue, openCandidate, type StatementFields, TEXT_BOUNDS } from '@positions/domain';
import type { EventStore } from '@positions/event-store';
import type { CommandContext } from '../command-context';
import { RecordStatementCommand, type StatementRecorded } from '../record-statement/record-statement.handler';
import { KeyedLock, StreamCommands } from '../stream-commands';
import { EVENT_STORE } from '../tokens';

/** Any field of a statement, to record instead of what the candidate suggests. */
export type StatementOverrides = Partial<{ actorId: string; topicId: string } & Omit<StatementFields, 'intake'>>;

export class AcceptCandidateCommand extends Command<StatementRecorded> {
  constructor(
    readonly draftId: string,
    readonly candidateId: string,
    readonly overrides: StatementOverrides,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export interface CandidateRejectedAnswer {
  draftId: string;
  candidateId: string;
  state: 'rejected';
  reason: string;
  recordedAt: string;
  position: number;
}

export class RejectCandidateCommand extends Command<CandidateRejectedAnswer> {
  constructor(
    readonly draftId: string,
    readonly candidateId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** One decision per draft at a time in this process: a candidate is never accepted twice by two racing requests. */
const drafts = new KeyedLock();

/**
 * Accepts a candidate: records its statement through the normal command (every rule of
 * `POST /api/statements` applies, and the statement keeps where it came from), then notes the
 * acceptance on the draft. A refused statement leaves the draft as it was.
 */
@CommandHandler(AcceptCandidateCommand)
export class AcceptCandidateHandler implements ICommandHandler<AcceptCandidateCommand> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  execute({ draftId, candidateId, overrides, context }: AcceptCandidateCommand): Promise<StatementRecorded> {
    return drafts.run(draftId, async () => {
      const draft = await this.streams.load(intakeStream(draftId), intakeDecider);
      const repeated = await this.repeatOf(draft, candidateId, context);
      const candidate = repeated ?? openCandidate(draft, draftId, candidateId);
      const statement = statementOf(draft, candidate, overrides);
      const recorded = await this.commands.execute(new RecordStatementCommand(statement, context));
      if (repeated) return { ...recorded, position: await this.acceptedAt(draftId, recorded.statementId) };
      const accepted = { type: 'AcceptCandidate' as const, draftId, candidateId, statementId: recorded.statementId };
      const result = await this.streams.handle(intakeStream(draftId), intakeDecider, accepted, { context: { ...context, idempotency: undefined } });
      return { ...recorded, position: result.position };
    });
  }

  /** The global position of the acceptance that recorded `statementId`: the last event the first request wrote. */
  private async acceptedAt(draftId: string, statementId: string): Promise<number> {
    const events = await this.store.readStream(intakeStream(draftId));
    const accepted = events.find((e) => e.type === 'CandidateAccepted' && (e.data as { statementId?: string }).statementId === statementId);
    return accepted?.position ?? 0;
  }

  /** The candidate again when this request repeats (same Idempotency-Key) the one that accepted it: it answers as that one did. */
  private async repeatOf(draft: IntakeState, candidateId: string, context: CommandContext): Promise<IntakeCandidate | null> {
    if (!draft.taken || !context.idempotency) return null;
    const candidate = draft.candidates.find((c) => c.candidateId === candidateId);
    if (candidate?.state !== 'accepted') return null;
    const earlier = await this.store.findIdempotent(context.idempotency.key);
    const statementId = (earlier?.events[0]?.data as { statementId?: string } | undefined)?.statementId;
    return statementId === candidate.statementId ? candidate : null;
  }
}

@CommandHandler(RejectCandidateCommand)
export class RejectCandidateHandler implements ICommandHandler<RejectCandidateCommand> {
  constructor(private readonly streams: StreamCommands) {}

  execute({ draftId, candidateId, reason, context }: RejectCandidateCommand): Promise<CandidateRejectedAnswer> {
    return drafts.run(draftId, async () => {
      const result = await this.streams.handle(intakeStream(draftId), intakeDecider, { type: 'RejectCandidate', draftId, candidateId, reason }, { context });
      const { data } = result.events[0] as unknown as { data: { reason: string } };
      return { draftId, candidateId, state: 'rejected', reason: data.reason, recordedAt: result.recordedAt, position: result.position };
    });
  }
}

/** The statement a candidate suggests, with the recorder's overrides; what nobody gave is a 400 naming the field. */
function statementOf(draft: IntakeState, candidate: IntakeCandidate, overrides: StatementOverrides): RecordStatementCommand['statement'] {
  if (!draft.taken) throw new InvalidValue('no such draft', 'draftId');
  const words = candidate.quote ?? draft.text.slice(candidate.quoteSpan[0], candidate.quoteSpan[1]);
  const actorId = overrides.actorId ?? candidate.speaker.actorId;
  const topicId = overrides.topicId ?? candidate.topicId ?? draft.topicId;
  const stance = overrides.stance ?? candidate.stance;
  if (!actorId) throw new InvalidValue(`no registered actor matches the speaker${candidate.speaker.name ? ` '${candidate.speaker.name}'` : ''}: give actorId`, 'actorId');
  if (!topicId) throw new InvalidValue('the candidate has no topic: give topicId', 'topicId');
  if (!stance) throw new InvalidValue('no stance was suggested with enough confidence: give stance', 'stance');
  const quote = overrides.quote ?? candidate.quote ?? undefined;
  const statedOnWording = overrides.statedOnWording ?? candidate.statedOnWording ?? undefined;
  return {
    actorId,
    topicId,
    stance,
    summary: overrides.summary ?? [...words].slice(0, TEXT_BOUNDS.summary).join(''),
    ...(quote !== undefined && { quote }),
    statedOn: overrides.statedOn ?? candidate.statedOn,
    ...(statedOnWording !== undefined && { statedOnWording }),
    source: overrides.source ?? draft.source,
    ...(overrides.onBehalfOf !== undefined && { onBehalfOf: overrides.onBehalfOf }),
    intake: { draftId: draft.draftId, candidateId: candidate.candidateId, quoteSpan: candidate.quoteSpan },
  };
}
