import { BadRequestException, Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { assertSource } from '@positions/domain';
import { AcceptCandidateCommand, type CommandContext, GetIntakeDraftQuery, RejectCandidateCommand, TakeArticleCommand } from '@positions/application';
import { CommandRoute, QueryRoute } from '../common/api-routes';
import { errorBody } from '../common/error-body';
import { SlugPipe, UuidPipe } from '../common/id.pipes';
import { NoQueryPipe } from '../common/no-query.pipe';
import { CommandCtx } from '../common/request-context';
import { StatementRecordedResponse } from '../statements/statements.dto';
import { toSource } from '../statements/statements.controller';
import { AcceptCandidateDto, CandidateRejectedResponse, IntakeDraftResponse, IntakeDraftTakenResponse, RejectCandidateDto, TakeArticleDto } from './intake.dto';

@ApiTags('intake')
@Controller('intake')
export class IntakeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @CommandRoute('recorder', {
    summary: 'Read an article (text, or the HTML of its page) into a draft: the statements it seems to report, with speakers, dates, topics and stances suggested. Records no statement',
    description: 'Bodies up to 1 MiB on this route. `publishedOn` after today is 422; an unknown topicId 404.',
    answer: IntakeDraftTakenResponse,
    errors: [404, 422],
  })
  async take(@Body() body: TakeArticleDto, @CommandCtx() context: CommandContext): Promise<IntakeDraftTakenResponse> {
    const { text, html, url, title, publisher, publishedOn, topicId } = body;
    if ((text === undefined) === (html === undefined)) {
      const problem = 'give the article as text or as html, one of the two';
      throw new BadRequestException(errorBody(400, problem, [{ field: text === undefined ? 'text' : 'html', problem }]));
    }
    const source = { ...toSource({ url, title, publisher }), publishedOn };
    const article = { ...(text !== undefined && { text }), ...(html !== undefined && { html }), source, ...(topicId !== undefined && { topicId }) };
    const { draftId, source: taken, candidates } = await this.commands.execute(new TakeArticleCommand(article, context));
    return { draftId, source: taken, candidates };
  }

  @Get(':draftId')
  @QueryRoute({ summary: 'A draft: its text, its source, and each candidate with its state (open, accepted with its statementId, rejected with its reason)', answer: IntakeDraftResponse, errors: [404] })
  async get(@Param('draftId', new UuidPipe('draftId')) draftId: string, @Query(new NoQueryPipe()) _query: Record<string, unknown>): Promise<IntakeDraftResponse> {
    return this.queries.execute(new GetIntakeDraftQuery(draftId));
  }

  @Post(':draftId/candidates/:candidateId/accept')
  @CommandRoute('recorder', {
    summary: "Record a candidate as a statement, through the same rules as POST /api/statements; the body's fields replace the candidate's suggestions",
    description: 'The statement keeps intake: {draftId, candidateId, quoteSpan}. A candidate already accepted or rejected is 409.',
    answer: StatementRecordedResponse,
    errors: [404, 422],
  })
  async accept(
    @Param('draftId', new UuidPipe('draftId')) draftId: string,
    @Param('candidateId', new SlugPipe('candidateId')) candidateId: string,
    @Body() body: AcceptCandidateDto,
    @CommandCtx() context: CommandContext,
  ): Promise<StatementRecordedResponse> {
    // A source's shape is checked before the draft is looked up, as POST /api/statements checks it before its actor.
    if (body.source) assertSource(toSource(body.source), 'source');
    const overrides = Object.fromEntries(Object.entries({ ...body, ...(body.source && { source: toSource(body.source) }) }).filter(([, value]) => value !== undefined && value !== null));
    const { statementId, actorId, topicId, recordedAt, position } = await this.commands.execute(new AcceptCandidateCommand(draftId, candidateId, overrides, context));
    return { statementId, actorId, topicId, recordedAt, position };
  }

  @Post(':draftId/candidates/:candidateId/reject')
  @CommandRoute('recorder', { summary: 'Reject a candidate, with a reason; nothing is recorded as a statement', answer: CandidateRejectedResponse, errors: [404] })
  async reject(
    @Param('draftId', new UuidPipe('draftId')) draftId: string,
    @Param('candidateId', new SlugPipe('candidateId')) candidateId: string,
    @Body() body: RejectCandidateDto,
    @CommandCtx() context: CommandContext,
  ): Promise<CandidateRejectedResponse> {
    return this.commands.execute(new RejectCandidateCommand(draftId, candidateId, body.reason, context));
  }
}
