import { BadRequestException, Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { type CommandContext, CorrectStatementCommand, GetStatementQuery, RecordStatementCommand, RetractStatementCommand, StatementHistoryQuery } from '@positions/application';
import type { FastifyReply } from 'fastify';
import { CommandRoute, QueryRoute } from '../common/api-routes';
import { errorBody } from '../common/error-body';
import { CommandCtx } from '../common/request-context';
import { NoQueryPipe } from '../common/no-query.pipe';
import { UuidPipe } from '../common/id.pipes';
import { KnownAtQueryDto } from '../common/time-queries.dto';
import {
  CorrectStatementDto,
  RecordStatementDto,
  RetractStatementDto,
  type SourceDto,
  StatementAmendedResponse,
  StatementHistoryResponse,
  StatementRecordedResponse,
  StatementResponse,
} from './statements.dto';

@ApiTags('statements')
@Controller('statements')
export class StatementsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @CommandRoute('recorder', {
    summary: 'Record a statement: what an actor said on a topic, when, and where it was reported',
    answer: StatementRecordedResponse,
    headers: { ETag: { description: "The actor–topic stream's new position, for If-Match" } },
    errors: [404, 412, 422],
  })
  @ApiHeader({ name: 'If-Match', required: false, description: "The actor–topic stream's last position the client saw (-1: none); 412 if it moved" })
  async record(
    @Body() body: RecordStatementDto,
    @CommandCtx() context: CommandContext,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StatementRecordedResponse> {
    const { actorId, topicId, stance, summary, quote, statedOn, statedOnWording, source, onBehalfOf } = body;
    const statement = {
      actorId,
      topicId,
      stance,
      summary,
      ...(quote !== undefined && { quote }),
      statedOn,
      ...(statedOnWording !== undefined && { statedOnWording }),
      source: toSource(source),
      ...(onBehalfOf !== undefined && { onBehalfOf }),
    };
    const recorded = await this.commands.execute(new RecordStatementCommand(statement, context, parseIfMatch(ifMatch)));
    void reply.header('ETag', `"${recorded.streamPosition}"`);
    const { statementId, recordedAt, position } = recorded;
    return { statementId, actorId, topicId, recordedAt, position };
  }

  @Post(':id/corrections')
  @CommandRoute('editor', {
    summary: 'Correct a statement: a new event that changes stance, summary, quote, statedOn, statedOnWording, source or onBehalfOf, with a reason',
    answer: StatementAmendedResponse,
    errors: [404, 422],
  })
  async correct(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: CorrectStatementDto,
    @CommandCtx() context: CommandContext,
  ): Promise<StatementAmendedResponse> {
    const { stance, summary, quote, statedOn, statedOnWording, source, onBehalfOf } = body.changes;
    const changes = {
      ...(stance !== undefined && { stance }),
      ...(summary !== undefined && { summary }),
      ...(quote !== undefined && { quote }),
      ...(statedOn !== undefined && { statedOn }),
      ...(statedOnWording !== undefined && { statedOnWording }),
      ...(source !== undefined && { source: toSource(source) }),
      ...(onBehalfOf !== undefined && { onBehalfOf }),
    };
    return this.commands.execute(new CorrectStatementCommand(id, changes, body.reason, context));
  }

  @Post(':id/retractions')
  @CommandRoute('editor', { summary: 'Retract a statement, with a reason: it no longer counts, and stays in the log', answer: StatementAmendedResponse, errors: [404, 422] })
  async retract(
    @Param('id', new UuidPipe('id')) id: string,
    @Body() body: RetractStatementDto,
    @CommandCtx() context: CommandContext,
  ): Promise<StatementAmendedResponse> {
    return this.commands.execute(new RetractStatementCommand(id, body.reason, context));
  }

  @Get(':id')
  @QueryRoute({ summary: 'A statement as the record stood at knownAt (default now): corrections after it not applied', answer: StatementResponse, errors: [404] })
  async get(@Param('id', new UuidPipe('id')) id: string, @Query() query: KnownAtQueryDto): Promise<StatementResponse> {
    return this.queries.execute(new GetStatementQuery(id, query.knownAt));
  }

  @Get(':id/history')
  @QueryRoute({ summary: 'Every event about a statement, in order, with who recorded it and when', answer: StatementHistoryResponse, errors: [404] })
  async history(@Param('id', new UuidPipe('id')) id: string, @Query(new NoQueryPipe()) _query: Record<string, unknown>): Promise<StatementHistoryResponse> {
    return (await this.queries.execute(new StatementHistoryQuery(id))) as StatementHistoryResponse;
  }
}

/** Copies only the fields given: a DTO never reaches the domain. */
export function toSource({ url, title, publisher, publishedOn }: SourceDto) {
  return { ...(url !== undefined && { url }), ...(title !== undefined && { title }), ...(publisher !== undefined && { publisher }), ...(publishedOn !== undefined && { publishedOn }) };
}

/** `If-Match: 3` (or the ETag form `"3"`); `-1` means the stream has no events yet. */
function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*"?(-1|0|[1-9][0-9]{0,14})"?\s*$/.exec(header);
  if (!match) {
    const problem = 'must be the stream position last seen: -1 or a whole number';
    throw new BadRequestException(errorBody(400, `If-Match ${problem}`, [{ field: 'If-Match', problem }]));
  }
  return Number(match[1]);
}
