import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { SearchStatementsQuery } from '@positions/application';
import { QueryRoute } from '../common/api-routes';
import { ClientGone } from '../common/client-gone';
import { DEFAULT_SEARCH_LIMIT, StatementSearchQueryDto, StatementSearchResponse } from './statement-search.dto';

/** Finding statements: full text and filters over every statement, as known at a moment. */
@ApiTags('statements')
@Controller('statements')
export class StatementSearchController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @QueryRoute({
    summary: 'Search statements: words, phrases and prefixes over summary, quote and source; by actor, topic and days; as known at knownAt; paged',
    answer: StatementSearchResponse,
    errors: [404],
  })
  async search(@Query() query: StatementSearchQueryDto, @ClientGone() gone: AbortSignal): Promise<StatementSearchResponse> {
    const { q, actorId, topicId, from, to, knownAt, cursor } = query;
    const options = {
      ...(q !== undefined && { q }),
      ...(actorId !== undefined && { actorId }),
      ...(topicId !== undefined && { topicId }),
      ...(from !== undefined && { from }),
      ...(to !== undefined && { to }),
      ...(knownAt !== undefined && { knownAt }),
      ...(cursor !== undefined && { cursor }),
      includeRetracted: query.includeRetracted === 'true',
      limit: query.limit === undefined ? DEFAULT_SEARCH_LIMIT : Number(query.limit),
    };
    return (await this.queries.execute(new SearchStatementsQuery(options, gone))) as StatementSearchResponse;
  }
}
