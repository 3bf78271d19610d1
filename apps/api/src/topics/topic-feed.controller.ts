import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { feedItemJson, jsonObject, panelCsv, panelJson, TopicFeedQuery, TopicPanelQuery } from '@positions/application';
import { QueryRoute } from '../common/api-routes';
import { SlugPipe } from '../common/id.pipes';
import { TopicFeedQueryDto, TopicFeedResponse } from './topic-feed.dto';
import { toTopicResponse } from './topics.controller';

import { PanelRowResponse, TopicPanelQueryDto } from './topic-panel.dto';

/** A topic taken out whole: what a page draws it from, and a panel for analysis. */
@ApiTags('topics')
@Controller('topics/:topicId')
export class TopicFeedController {
  constructor(private readonly queries: QueryBus) {}

  @Get('feed')
  @QueryRoute({
    summary: "Everything a page needs to draw one topic: the topic, each speaking actor's timeline and stream events, organizations' voice segments; paged by about 8 MB",
    answer: TopicFeedResponse,
    errors: [404],
  })
  async feed(@Param('topicId', new SlugPipe('topicId')) topicId: string, @Query() query: TopicFeedQueryDto): Promise<StreamableFile> {
    const feed = await this.queries.execute(new TopicFeedQuery(topicId, query.knownAt, query.includeRetracted === 'true', query.cursor));
    const answer: TopicFeedResponse = { ...feed, topic: toTopicResponse(feed.topic) };
    // A page is up to ~8 MB of JSON: written a chunk per turn, not serialised in one (40-70 ms), its actors as the page measured them.
    return new StreamableFile(Readable.from(jsonObject(answer, feedItemJson)), { type: 'application/json; charset=utf-8' });
  }

  @Get('panel')
  @QueryRoute({
    summary: 'Actor × period positions for analysis (actorId, period, stance, score, certainty, statementId), streamed as CSV or JSON; over 1,000,000 rows is 400',
    answer: [PanelRowResponse],
    errors: [404],
  })
  @ApiProduces('text/csv', 'application/json')
  async panel(
    @Param('topicId', new SlugPipe('topicId')) topicId: string,
    @Query() query: TopicPanelQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const step = query.step ?? 'month';
    const panel = await this.queries.execute(new TopicPanelQuery(topicId, query.from, query.to, step, query.knownAt));
    if (query.format === 'json') return new StreamableFile(Readable.from(panelJson(panel)), { type: 'application/json; charset=utf-8' });
    void reply.header('Content-Disposition', `attachment; filename="${topicId}-${step}-${query.from}-${query.to}.csv"`);
    return new StreamableFile(Readable.from(panelCsv(panel)), { type: 'text/csv; charset=utf-8; header=present' });
  }
}
