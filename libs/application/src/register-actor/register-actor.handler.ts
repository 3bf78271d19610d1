import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { actorDecider, actorStream, type ActorKind } from '@positions/domain';
import { ReadModels, type ActorView } from '@positions/projections';
import type { CommandContext } from '../command-context';
import { StreamCommands } from '../stream-commands';

export class RegisterActorCommand extends Command<ActorView> {
  constructor(
    readonly actor: { id: string; name: string; kind: ActorKind; aliases: string[]; wikidataId?: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RegisterActorCommand)
export class RegisterActorHandler implements ICommandHandler<RegisterActorCommand> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly views: ReadModels,
  ) {}

  async execute({ actor, context }: RegisterActorCommand): Promise<ActorView> {
    await this.streams.handle(actorStream(actor.id), actorDecider, { type: 'RegisterActor', ...actor }, { context });
    return this.views.actor(actor.id) as ActorView;
  }
}
