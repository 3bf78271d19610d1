import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { type ActorPageRequest, type DaysPageRequest, type StanceCountsAnswer, StanceCountsQuery, TopicChangesQuery, TopicLandscapeQuery } from '@positions/application';
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

  /** Written as text: the days come as JSON already (decision 0039). */
  @Get('stance-counts')
  @Header('Content-Type', 'application/json; charset=utf-8')
  @QueryRoute({ summary: 'How many actors held each stance at the end of each day (a view built purely by replay)', answer: StanceCountsResponse, errors: [404] })
  async stanceCounts(@Param('topicId', new SlugPipe('topicId')) topicId: string, @Query() query: StanceCountsQueryDto): Promise<Buffer> {
    const { from, to, days, next }: StanceCountsAnswer = await this.queries.execute(new StanceCountsQuery(topicId, query.from, query.to, pageOf(query)));
    // The documented answer's fields in its order; only `days` is written already.
    const head = `{"topicId":${JSON.stringify(topicId)},"from":${JSON.stringify(from)},"to":${JSON.stringify(to)},"days":`;
    return Buffer.concat([Buffer.from(head), days.json, Buffer.from(`,"next":${JSON.stringify(next)}}`)]);
  }
}

/** `limit` (validated digits) as a number, `cursor` as given. */
function pageOf({ limit, cursor }: { limit?: string; cursor?: string }): ActorPageRequest & DaysPageRequest {
  return { ...(limit !== undefined && { limit: Number(limit) }), ...(cursor !== undefined && { cursor }) };
}
