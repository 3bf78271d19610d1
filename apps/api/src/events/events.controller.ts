import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventsQuery } from '@positions/application';
import { ApiErrors } from '../common/api-errors';
import { EventsPageResponse, EventsQueryDto } from './events.dto';

export const DEFAULT_EVENTS_LIMIT = 100;

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'The log in global order, paged and filterable: replay history into a view of your own' })
  @ApiOkResponse({ type: EventsPageResponse })
  @ApiErrors(400, 401, 403)
  async list(@Query() query: EventsQueryDto): Promise<EventsPageResponse> {
    const options = {
      after: query.after === undefined ? 0 : Number(query.after),
      limit: query.limit === undefined ? DEFAULT_EVENTS_LIMIT : Number(query.limit),
      ...(query.type !== undefined && { types: query.type.split(',') }),
      ...(query.streamId !== undefined && { streamId: query.streamId }),
    };
    return (await this.queries.execute(new EventsQuery(options))) as EventsPageResponse;
  }
}
