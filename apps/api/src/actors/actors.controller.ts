import { Body, Controller, Get, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { ActorListingQuery, actorAnswer, BeginAffiliationCommand, type CommandContext, EndAffiliationCommand, GetActorQuery, jsonArray, ListActorsQuery, RegisterActorCommand } from '@positions/application';
import { CommandRoute, QueryRoute } from '../common/api-routes';
import { CommandCtx } from '../common/request-context';
import { NoQueryPipe } from '../common/no-query.pipe';
import { SlugPipe } from '../common/id.pipes';
import { NameQueryDto } from '../common/name-query.dto';
import { ActorResponse, BeginAffiliationDto, EndAffiliationDto, RegisterActorDto } from './actors.dto';

@ApiTags('actors')
@Controller('actors')
export class ActorsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @CommandRoute('recorder', { summary: 'Register an actor: a person, a government or an organization', answer: ActorResponse, errors: [409] })
  async register(@Body() body: RegisterActorDto, @CommandCtx() context: CommandContext): Promise<ActorResponse> {
    const { id, name, kind, aliases, wikidataId } = body;
    const actor = { id, name, kind, aliases: aliases ?? [], ...(wikidataId !== undefined && { wikidataId }) };
    return actorAnswer(await this.commands.execute(new RegisterActorCommand(actor, context)));
  }

  @Post(':id/affiliations')
  @CommandRoute('recorder', {
    summary: "Begin an affiliation: the actor's role in a government or organization over an interval of dates",
    answer: ActorResponse,
    errors: [404, 422],
  })
  async beginAffiliation(
    @Param('id', new SlugPipe('id')) id: string,
    @Body() body: BeginAffiliationDto,
    @CommandCtx() context: CommandContext,
  ): Promise<ActorResponse> {
    const { organizationId, role, from, until, speaksFor } = body;
    // `until: null` (as GET shows an open affiliation) means open, like leaving it out.
    const affiliation = { organizationId, role, from, ...(until != null && { until }), speaksFor: speaksFor ?? false };
    return actorAnswer(await this.commands.execute(new BeginAffiliationCommand(id, affiliation, context)));
  }

  @Post(':id/affiliations/end')
  @CommandRoute('recorder', { summary: 'End an open affiliation on a date (inclusive)', answer: ActorResponse, errors: [404, 422] })
  async endAffiliation(
    @Param('id', new SlugPipe('id')) id: string,
    @Body() body: EndAffiliationDto,
    @CommandCtx() context: CommandContext,
  ): Promise<ActorResponse> {
    const { organizationId, role, until } = body;
    return actorAnswer(await this.commands.execute(new EndAffiliationCommand(id, { organizationId, role, until }, context)));
  }

  @Get()
  @QueryRoute({ summary: 'Every registered actor, by id; with q, those that match, best first', answer: [ActorResponse] })
  async list(@Query() query: NameQueryDto): Promise<ActorResponse[] | StreamableFile> {
    if (query.q !== undefined) return (await this.queries.execute(new ListActorsQuery(query.q))).map(actorAnswer);
    // Every actor: written a piece of the listing at a time, so neither the time of a turn nor the memory grows with the record.
    const pieces = await this.queries.execute(new ActorListingQuery());
    return new StreamableFile(Readable.from(jsonArray(mapPieces(pieces, actorAnswer))), { type: 'application/json; charset=utf-8' });
  }

  @Get(':id')
  @QueryRoute({ summary: 'One actor with its affiliations', answer: ActorResponse, errors: [404] })
  async get(@Param('id', new SlugPipe('id')) id: string, @Query(new NoQueryPipe()) _query: Record<string, unknown>): Promise<ActorResponse> {
    return actorAnswer(await this.queries.execute(new GetActorQuery(id)));
  }
}

async function* mapPieces<T, U>(pieces: AsyncIterable<T[]>, map: (item: T) => U): AsyncGenerator<U[]> {
  for await (const piece of pieces) yield piece.map(map);
}
