import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { actorDecider, actorStream } from '@positions/domain';
import { ReadModels, type ActorView } from '@positions/projections';
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
  constructor(
    private readonly streams: StreamCommands,
    private readonly views: ReadModels,
  ) {}

  async execute({ actorId, affiliation, context }: EndAffiliationCommand): Promise<ActorView> {
    await this.streams.handle(actorStream(actorId), actorDecider, { type: 'EndAffiliation', actorId, ...affiliation }, { context });
    return this.views.actor(actorId) as ActorView;
  }
}
