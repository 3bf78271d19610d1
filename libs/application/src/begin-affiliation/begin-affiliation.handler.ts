import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { actorDecider, actorFact, actorStream, assertSlug } from '@positions/domain';
import type { ActorView } from '@positions/projections';
import type { CommandContext } from '../command-context';
import { StreamCommands } from '../stream-commands';

export class BeginAffiliationCommand extends Command<ActorView> {
  constructor(
    readonly actorId: string,
    readonly affiliation: { organizationId: string; role: string; from: string; until?: string; speaksFor: boolean },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(BeginAffiliationCommand)
export class BeginAffiliationHandler implements ICommandHandler<BeginAffiliationCommand> {
  constructor(private readonly streams: StreamCommands) {}

  async execute({ actorId, affiliation, context }: BeginAffiliationCommand): Promise<ActorView> {
    assertSlug(affiliation.organizationId, 'organizationId');
    const organization = await this.streams.load(actorStream(affiliation.organizationId), actorDecider);
    const facts = { organization: actorFact(organization) };
    const result = await this.streams.handle(actorStream(actorId), actorDecider, { type: 'BeginAffiliation', actorId, ...affiliation, ...facts }, { context });
    // The state this command left, not today's: a repeat with its Idempotency-Key answers the same.
    return (await this.streams.stateAt(actorStream(actorId), actorDecider, result.streamPosition)) as ActorView;
  }
}
