import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { TopicNotFound } from '@positions/domain';
import { ReadModels, type TopicView } from '@positions/projections';
import { NameMatcher } from './name-search';

export class GetTopicQuery extends Query<TopicView> {
  constructor(readonly topicId: string) {
    super();
  }
}

/** A topic in the list, with how many actors have a statement on it. */
export type ListedTopic = TopicView & { speakers: number };

/** Every topic by id; with `q`, those whose title or proposition matches, best first. */
export class ListTopicsQuery extends Query<ListedTopic[]> {
  constructor(readonly q?: string) {
    super();
  }
}

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
  private readonly matcher = new NameMatcher<TopicView>((t) => [{ text: t.title, weight: 3 }, { text: t.id, weight: 2 }, { text: t.proposition, weight: 1 }]);

  constructor(private readonly views: ReadModels) {}

  async execute({ q }: ListTopicsQuery): Promise<ListedTopic[]> {
    const topics = q === undefined ? this.views.topics() : await this.matcher.bestMatches(this.views.topicChanges, () => [this.views.topics()], q);
    const speakers = this.views.topicSpeakerCounts();
    return topics.map((topic) => ({ ...topic, speakers: speakers.get(topic.id) ?? 0 }));
  }
}
