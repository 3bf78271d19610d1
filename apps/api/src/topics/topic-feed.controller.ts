import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { TopicFeedQuery } from '@positions/application';
import { QueryRoute } from '../common/api-routes';
import { SlugPipe } from '../common/id.pipes';
import { TopicFeedQueryDto, TopicFeedResponse } from './topic-feed.dto';
import { toTopicResponse } from './topics.controller';

/** What a page needs to draw one topic, in one request. */
@ApiTags('topics')
@Controller('topics/:topicId')
export class TopicFeedController {
  constructor(private readonly queries: QueryBus) {}

  @Get('feed')
  @QueryRoute({
    summary: "Everything a page needs to draw one topic: the topic, each speaking actor's timeline and stream events, organizations' voice segments; paged by about 1 MB",
    answer: TopicFeedResponse,
    errors: [404],
  })
  async feed(@Param('topicId', new SlugPipe('topicId')) topicId: string, @Query() query: TopicFeedQueryDto): Promise<TopicFeedResponse> {
    const feed = await this.queries.execute(new TopicFeedQuery(topicId, query.knownAt, query.includeRetracted === 'true', query.cursor));
    return { ...feed, topic: toTopicResponse(feed.topic) } as TopicFeedResponse;
  }
}
