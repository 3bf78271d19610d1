import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { actorDecider, actorStream, assertSlug, positionDecider, positionStream, type StatementFacts, type StatementFields, topicDecider, topicStream } from '@positions/domain';
import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../command-context';
import { StreamCommands } from '../stream-commands';
import { CLOCK, type Clock } from '../tokens';

export interface StatementRecorded {
  statementId: string;
  actorId: string;
  topicId: string;
  recordedAt: string;
  /** Global position of the event written. */
  position: number;
  /** Stream position of the event written: the next `If-Match`. */
  streamPosition: number;
}

export class RecordStatementCommand extends Command<StatementRecorded> {
  constructor(
    readonly statement: { actorId: string; topicId: string } & StatementFields,
    readonly context: CommandContext,
    /** `If-Match`: the actor–topic stream position the client last saw. */
    readonly expected?: number,
  ) {
    super();
  }
}

@CommandHandler(RecordStatementCommand)
export class RecordStatementHandler implements ICommandHandler<RecordStatementCommand> {
  constructor(
    private readonly streams: StreamCommands,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ statement, context, expected }: RecordStatementCommand): Promise<StatementRecorded> {
    const { actorId, topicId } = statement;
    assertSlug(actorId, 'actorId');
    assertSlug(topicId, 'topicId');
    const statementId = randomUUID();
    const facts = await this.facts(statement);
    const command = { type: 'RecordStatement' as const, statementId, ...statement, ...facts };
    const result = await this.streams.handle(positionStream(actorId, topicId), positionDecider, command, { context, expected });
    return { statementId, actorId, topicId, recordedAt: result.recordedAt, position: result.position, streamPosition: result.streamPosition };
  }

  /** What the statement's rules need to know of its actor, topic and organization. */
  private async facts({ actorId, topicId, onBehalfOf }: RecordStatementCommand['statement']): Promise<StatementFacts> {
    const [actor, topic] = await Promise.all([
      this.streams.load(actorStream(actorId), actorDecider),
      this.streams.load(topicStream(topicId), topicDecider),
    ]);
    let onBehalfOfActor: StatementFacts['onBehalfOfActor'];
    if (onBehalfOf !== undefined) {
      assertSlug(onBehalfOf, 'onBehalfOf');
      const organization = await this.streams.load(actorStream(onBehalfOf), actorDecider);
      onBehalfOfActor = organization.registered ? { id: organization.id, kind: organization.kind } : null;
    }
    return {
      recordedAt: this.clock().toISOString(),
      actor: actor.registered ? { id: actor.id, affiliations: actor.affiliations } : null,
      topic: topic.open ? { id: topic.id, stances: topic.stances } : null,
      onBehalfOfActor,
    };
  }
}
