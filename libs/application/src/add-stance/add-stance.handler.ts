import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type Stance, topicDecider, topicStream } from '@positions/domain';
import { ReadModels, type TopicView } from '@positions/projections';
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
  constructor(
    private readonly streams: StreamCommands,
    private readonly views: ReadModels,
  ) {}

  async execute({ topicId, stance, context }: AddStanceCommand): Promise<TopicView> {
    await this.streams.handle(topicStream(topicId), topicDecider, { type: 'AddStance', topicId, ...stance }, { context });
    return this.views.topic(topicId) as TopicView;
  }
}
