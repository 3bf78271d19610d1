import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type Stance, topicDecider, topicStream } from '@positions/domain';
import type { TopicView } from '@positions/projections';
import type { CommandContext } from '../command-context';
import { StreamCommands } from '../stream-commands';

export class AddStanceCommand extends Command<TopicView> {
  constructor(
    readonly topicId: string,
    readonly stance: Stance,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(AddStanceCommand)
export class AddStanceHandler implements ICommandHandler<AddStanceCommand> {
  constructor(private readonly streams: StreamCommands) {}

  async execute({ topicId, stance, context }: AddStanceCommand): Promise<TopicView> {
    const result = await this.streams.handle(topicStream(topicId), topicDecider, { type: 'AddStance', topicId, ...stance }, { context });
    // The state this command left, not today's: a repeat with its Idempotency-Key answers the same.
    return (await this.streams.stateAt(topicStream(topicId), topicDecider, result.streamPosition)) as TopicView;
  }
}
