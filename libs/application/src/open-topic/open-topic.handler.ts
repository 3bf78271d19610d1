import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type Stance, topicDecider, topicStream } from '@positions/domain';
import { ReadModels, type TopicView } from '@positions/projections';
import type { CommandContext } from '../command-context';
import { StreamCommands } from '../stream-commands';

export class OpenTopicCommand extends Command<TopicView> {
  constructor(
    readonly topic: { id: string; title: string; proposition: string; stances: Stance[] },
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(OpenTopicCommand)
export class OpenTopicHandler implements ICommandHandler<OpenTopicCommand> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly views: ReadModels,
  ) {}

  async execute({ topic, context }: OpenTopicCommand): Promise<TopicView> {
    await this.streams.handle(topicStream(topic.id), topicDecider, { type: 'OpenTopic', ...topic }, { context });
    return this.views.topic(topic.id) as TopicView;
  }
}
