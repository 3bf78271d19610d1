import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { AddStanceCommand, type CommandContext, GetTopicQuery, ListTopicsQuery, OpenTopicCommand } from '@positions/application';
import type { TopicView } from '@positions/projections';
import { CommandRoute, QueryRoute } from '../common/api-routes';
import { CommandCtx } from '../common/request-context';
import { NoQueryPipe } from '../common/no-query.pipe';
import { SlugPipe } from '../common/id.pipes';
import { NameQueryDto } from '../common/name-query.dto';
import { ListedTopicResponse, OpenTopicDto, StanceDto, TopicResponse } from './topics.dto';

@ApiTags('topics')
@Controller('topics')
export class TopicsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @CommandRoute('recorder', { summary: 'Open a topic: a proposition and its stance codebook', answer: TopicResponse, errors: [422] })
  async open(@Body() body: OpenTopicDto, @CommandCtx() context: CommandContext): Promise<TopicResponse> {
    const { id, title, proposition, stances } = body;
    const topic = { id, title, proposition, stances: stances.map(({ code, label, score }) => ({ code, label, score })) };
    return toTopicResponse(await this.commands.execute(new OpenTopicCommand(topic, context)));
  }

  @Post(':id/stances')
  @CommandRoute('recorder', { summary: "Add a stance to a topic's codebook", answer: TopicResponse, errors: [404, 422] })
  async addStance(
    @Param('id', new SlugPipe('id')) id: string,
    @Body() body: StanceDto,
    @CommandCtx() context: CommandContext,
  ): Promise<TopicResponse> {
    const { code, label, score } = body;
    return toTopicResponse(await this.commands.execute(new AddStanceCommand(id, { code, label, score }, context)));
  }

  @Get()
  @QueryRoute({ summary: 'Every open topic, by id, with how many actors spoke on it; with q, those that match, best first', answer: [ListedTopicResponse] })
  async list(@Query() query: NameQueryDto): Promise<ListedTopicResponse[]> {
    return (await this.queries.execute(new ListTopicsQuery(query.q))).map((topic) => ({ ...toTopicResponse(topic), speakers: topic.speakers }));
  }

  @Get(':id')
  @QueryRoute({ summary: 'One topic with its codebook', answer: TopicResponse, errors: [404] })
  async get(@Param('id', new SlugPipe('id')) id: string, @Query(new NoQueryPipe()) _query: Record<string, unknown>): Promise<TopicResponse> {
    return toTopicResponse(await this.queries.execute(new GetTopicQuery(id)));
  }
}

export function toTopicResponse({ id, title, proposition, stances }: TopicView): TopicResponse {
  return { id, title, proposition, stances: stances.map(({ code, label, score }) => ({ code, label, score })) };
}
