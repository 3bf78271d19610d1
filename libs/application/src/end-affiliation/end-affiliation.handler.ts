import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { actorDecider, actorStream } from '@positions/domain';
import type { ActorView } from '@positions/projections';
import type { CommandContext } from '../command-context';
import { StreamCommands } from '../stream-commands';

export class EndAffiliationCommand extends Command<ActorView> {
  constructor(
    readonly actorId: string,
    readonly affiliation: { organizationId: string; role: string; until: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(EndAffiliationCommand)
export class EndAffiliationHandler implements ICommandHandler<EndAffiliationCommand> {
  constructor(private readonly streams: StreamCommands) {}

  async execute({ actorId, affiliation, context }: EndAffiliationCommand): Promise<ActorView> {
    const result = await this.streams.handle(actorStream(actorId), actorDecider, { type: 'EndAffiliation', actorId, ...affiliation }, { context });
    // The state this command left, not today's: a repeat with its Idempotency-Key answers the same.
    return (await this.streams.stateAt(actorStream(actorId), actorDecider, result.streamPosition)) as ActorView;
  }
}
