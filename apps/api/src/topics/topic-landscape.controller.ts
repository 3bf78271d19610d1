import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StanceCountsQuery, TopicChangesQuery, TopicLandscapeQuery } from '@positions/application';
import { ApiErrors } from '../common/api-errors';
import { SlugPipe } from '../common/id.pipes';
import { PositionQueryDto } from '../common/time-queries.dto';
import { ChangesQueryDto, ChangesResponse, LandscapeResponse, StanceCountsQueryDto, StanceCountsResponse } from './topic-landscape.dto';

/** Cross-actor views of one topic. */
@ApiTags('topics')
@Controller('topics/:topicId')
export class TopicLandscapeController {
  constructor(private readonly queries: QueryBus) {}

  @Get('positions')
  @ApiOperation({ summary: "Every actor's position on the topic at a date, as the record stood at a moment" })
  @ApiOkResponse({ type: LandscapeResponse })
  @ApiErrors(400, 401, 403, 404)
  async landscape(@Param('topicId', new SlugPipe('topicId')) topicId: string, @Query() query: PositionQueryDto): Promise<LandscapeResponse> {
    return (await this.queries.execute(new TopicLandscapeQuery(topicId, query.at, query.knownAt))) as LandscapeResponse;
  }

  @Get('changes')
  @ApiOperation({ summary: 'Who changed stance between two dates, with shift and direction' })
  @ApiOkResponse({ type: ChangesResponse })
  @ApiErrors(400, 401, 403, 404)
  async changes(@Param('topicId', new SlugPipe('topicId')) topicId: string, @Query() query: ChangesQueryDto): Promise<ChangesResponse> {
    return (await this.queries.execute(new TopicChangesQuery(topicId, query.from, query.to, query.knownAt))) as ChangesResponse;
  }

  @Get('stance-counts')
  @ApiOperation({ summary: 'How many actors held each stance at the end of each day (a view built purely by replay)' })
  @ApiOkResponse({ type: StanceCountsResponse })
  @ApiErrors(400, 401, 403, 404)
  async stanceCounts(@Param('topicId', new SlugPipe('topicId')) topicId: string, @Query() query: StanceCountsQueryDto): Promise<StanceCountsResponse> {
    return this.queries.execute(new StanceCountsQuery(topicId, query.from, query.to));
  }
}
