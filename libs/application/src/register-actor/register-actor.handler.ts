import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { actorDecider, actorStream, type ActorKind } from '@positions/domain';
import type { ActorView } from '@positions/projections';
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
  constructor(private readonly streams: StreamCommands) {}

  async execute({ actor, context }: RegisterActorCommand): Promise<ActorView> {
    const result = await this.streams.handle(actorStream(actor.id), actorDecider, { type: 'RegisterActor', ...actor }, { context });
    // The state this command left, not today's: a repeat with its Idempotency-Key answers the same.
    return (await this.streams.stateAt(actorStream(actor.id), actorDecider, result.streamPosition)) as ActorView;
  }
}
