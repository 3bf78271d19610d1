import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { TopicNotFound } from '@positions/domain';
import { ReadModels, type TopicView } from '@positions/projections';

export class GetTopicQuery extends Query<TopicView> {
  constructor(readonly topicId: string) {
    super();
  }
}

export class ListTopicsQuery extends Query<TopicView[]> {}

@QueryHandler(GetTopicQuery)
export class GetTopicHandler implements IQueryHandler<GetTopicQuery> {
  constructor(private readonly views: ReadModels) {}

  async execute({ topicId }: GetTopicQuery): Promise<TopicView> {
    const topic = this.views.topic(topicId);
    if (!topic) throw new TopicNotFound(topicId, 'topicId');
    return topic;
  }
}

@QueryHandler(ListTopicsQuery)
export class ListTopicsHandler implements IQueryHandler<ListTopicsQuery> {
  constructor(private readonly views: ReadModels) {}

  async execute(): Promise<TopicView[]> {
    return this.views.topics();
  }
}
