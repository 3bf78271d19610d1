import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { PositionAtQuery, TimelineQuery } from '@positions/application';
import { QueryRoute } from '../common/api-routes';
import { SlugPipe } from '../common/id.pipes';
import { KnownAtQueryDto, PositionQueryDto } from '../common/time-queries.dto';
import { PositionResponse, TimelineResponse } from './positions.dto';

@ApiTags('positions')
@Controller('actors/:actorId/positions')
export class PositionsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':topicId')
  @QueryRoute({
    summary: "An actor's position on a topic at a date, as the record stood at a moment",
    description: 'The stance of the latest non-retracted statement stated on or before `at`; no statement: 200 with nulls.',
    answer: PositionResponse,
    errors: [404],
  })
  async positionAt(
    @Param('actorId', new SlugPipe('actorId')) actorId: string,
    @Param('topicId', new SlugPipe('topicId')) topicId: string,
    @Query() query: PositionQueryDto,
  ): Promise<PositionResponse> {
    return this.queries.execute(new PositionAtQuery(actorId, topicId, query.at, query.knownAt));
  }

  @Get(':topicId/timeline')
  @QueryRoute({ summary: "An actor's statements on a topic in valid-time order, each with its shift against the one before", answer: TimelineResponse, errors: [404] })
  async timeline(
    @Param('actorId', new SlugPipe('actorId')) actorId: string,
    @Param('topicId', new SlugPipe('topicId')) topicId: string,
    @Query() query: KnownAtQueryDto,
  ): Promise<TimelineResponse> {
    return this.queries.execute(new TimelineQuery(actorId, topicId, query.knownAt));
  }
}
