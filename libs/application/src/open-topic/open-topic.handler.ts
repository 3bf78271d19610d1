import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type Stance, topicDecider, topicStream } from '@positions/domain';
import type { TopicView } from '@positions/projections';
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
  constructor(private readonly streams: StreamCommands) {}

  async execute({ topic, context }: OpenTopicCommand): Promise<TopicView> {
    const result = await this.streams.handle(topicStream(topic.id), topicDecider, { type: 'OpenTopic', ...topic }, { context });
    // The state this command left, not today's: a repeat with its Idempotency-Key answers the same.
    return (await this.streams.stateAt(topicStream(topic.id), topicDecider, result.streamPosition)) as TopicView;
  }
}
