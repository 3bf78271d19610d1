import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { positionDecider } from '@positions/domain';
import type { CommandContext } from '../command-context';
import { type StatementAmended, StatementStreams } from '../statement-locator';
import { StreamCommands } from '../stream-commands';

export class RetractStatementCommand extends Command<StatementAmended> {
  constructor(
    readonly statementId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RetractStatementCommand)
export class RetractStatementHandler implements ICommandHandler<RetractStatementCommand> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly statements: StatementStreams,
  ) {}

  async execute({ statementId, reason, context }: RetractStatementCommand): Promise<StatementAmended> {
    const { streamId } = this.statements.locate(statementId);
    const result = await this.streams.handle(streamId, positionDecider, { type: 'RetractStatement', statementId, reason }, { context });
    return { statementId, recordedAt: result.recordedAt, position: result.position };
  }
}
