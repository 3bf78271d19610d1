import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { positionDecider, type StatementFields } from '@positions/domain';
import type { CommandContext } from '../command-context';
import { type StatementAmended, StatementStreams } from '../statement-locator';
import { StatementFactsReader } from '../statement-facts';
import { StreamCommands } from '../stream-commands';

export class CorrectStatementCommand extends Command<StatementAmended> {
  constructor(
    readonly statementId: string,
    readonly changes: Partial<StatementFields>,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(CorrectStatementCommand)
export class CorrectStatementHandler implements ICommandHandler<CorrectStatementCommand> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly statements: StatementStreams,
    private readonly facts: StatementFactsReader,
  ) {}

  async execute({ statementId, changes, reason, context }: CorrectStatementCommand): Promise<StatementAmended> {
    const { actorId, topicId, streamId } = this.statements.locate(statementId);
    const facts = await this.facts.read(actorId, topicId, changes.onBehalfOf, 'changes.onBehalfOf');
    const command = { type: 'CorrectStatement' as const, statementId, changes, reason, ...facts };
    const result = await this.streams.handle(streamId, positionDecider, command, { context });
    return { statementId, recordedAt: result.recordedAt, position: result.position };
  }
}
