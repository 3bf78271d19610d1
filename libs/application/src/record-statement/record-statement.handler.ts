import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertSlug, positionDecider, positionStream, type StatementFields } from '@positions/domain';
import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../command-context';
import { StatementFactsReader } from '../statement-facts';
import { StreamCommands } from '../stream-commands';

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
    private readonly facts: StatementFactsReader,
  ) {}

  async execute({ statement, context, expected }: RecordStatementCommand): Promise<StatementRecorded> {
    const { actorId, topicId } = statement;
    assertSlug(actorId, 'actorId');
    assertSlug(topicId, 'topicId');
    const statementId = randomUUID();
    const facts = await this.facts.read(actorId, topicId, statement.onBehalfOf);
    const command = { type: 'RecordStatement' as const, statementId, ...statement, ...facts };
    const result = await this.streams.handle(positionStream(actorId, topicId), positionDecider, command, { context, expected });
    // From what was appended, so that a repeat with the same Idempotency-Key answers the same.
    const { data } = result.events[0] as { data: { statementId: string } };
    return { statementId: data.statementId, actorId, topicId, recordedAt: result.recordedAt, position: result.position, streamPosition: result.streamPosition };
  }
}
