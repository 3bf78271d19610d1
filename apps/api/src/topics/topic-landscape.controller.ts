import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { type ActorPageRequest, type DaysPageRequest, StanceCountsQuery, TopicChangesQuery, TopicLandscapeQuery } from '@positions/application';
import { QueryRoute } from '../common/api-routes';
import { SlugPipe } from '../common/id.pipes';
import { ChangesQueryDto, ChangesResponse, LandscapeQueryDto, LandscapeResponse, StanceCountsQueryDto, StanceCountsResponse } from './topic-landscape.dto';

/** Cross-actor views of one topic. */
@ApiTags('topics')
@Controller('topics/:topicId')
export class TopicLandscapeController {
  constructor(private readonly queries: QueryBus) {}

  @Get('positions')
  @QueryRoute({ summary: "Every actor's position on the topic at a date, as the record stood at a moment", answer: LandscapeResponse, errors: [404] })
  async landscape(@Param('topicId', new SlugPipe('topicId')) topicId: string, @Query() query: LandscapeQueryDto): Promise<LandscapeResponse> {
    return (await this.queries.execute(new TopicLandscapeQuery(topicId, query.at, query.knownAt, pageOf(query)))) as LandscapeResponse;
  }

  @Get('changes')
  @QueryRoute({ summary: 'Who changed stance between two dates, with shift and direction', answer: ChangesResponse, errors: [404] })
  async changes(@Param('topicId', new SlugPipe('topicId')) topicId: string, @Query() query: ChangesQueryDto): Promise<ChangesResponse> {
    return (await this.queries.execute(new TopicChangesQuery(topicId, query.from, query.to, query.knownAt, pageOf(query)))) as ChangesResponse;
  }

  @Get('stance-counts')
  @QueryRoute({ summary: 'How many actors held each stance at the end of each day (a view built purely by replay)', answer: StanceCountsResponse, errors: [404] })
  async stanceCounts(@Param('topicId', new SlugPipe('topicId')) topicId: string, @Query() query: StanceCountsQueryDto): Promise<StanceCountsResponse> {
    return this.queries.execute(new StanceCountsQuery(topicId, query.from, query.to, pageOf(query)));
  }
}

/** `limit` (validated digits) as a number, `cursor` as given. */
function pageOf({ limit, cursor }: { limit?: string; cursor?: string }): ActorPageRequest & DaysPageRequest {
  return { ...(limit !== undefined && { limit: Number(limit) }), ...(cursor !== undefined && { cursor }) };
}
