import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { EventsQuery } from '@positions/application';
import { QueryRoute } from '../common/api-routes';
import { EventsPageResponse, EventsQueryDto } from './events.dto';

export const DEFAULT_EVENTS_LIMIT = 100;

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @QueryRoute({ summary: 'The log in global order, paged and filterable: replay history into a view of your own', answer: EventsPageResponse })
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
