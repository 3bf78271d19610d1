import { BadRequestException, Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, RecordStatementCommand } from '@positions/application';
import type { FastifyReply } from 'fastify';
import { RequiresRole } from '../auth/auth.guard';
import { ApiErrors } from '../common/api-errors';
import { errorBody } from '../common/error-body';
import { CommandCtx } from '../common/request-context';
import { RecordStatementDto, StatementRecordedResponse } from './statements.dto';

@ApiTags('statements')
@Controller('statements')
export class StatementsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @RequiresRole('recorder')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Record a statement: what an actor said on a topic, when, and where it was reported' })
  @ApiHeader({ name: 'If-Match', required: false, description: "The actor–topic stream's last position the client saw (-1: none); 412 if it moved" })
  @ApiCreatedResponse({ type: StatementRecordedResponse, headers: { ETag: { description: "The actor–topic stream's new position, for If-Match" } } })
  @ApiErrors(400, 401, 403, 404, 412, 422)
  async record(
    @Body() body: RecordStatementDto,
    @CommandCtx() context: CommandContext,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StatementRecordedResponse> {
    const { actorId, topicId, stance, summary, quote, statedOn, source, onBehalfOf } = body;
    const { url, title, publisher, publishedOn } = source;
    const statement = {
      actorId,
      topicId,
      stance,
      summary,
      ...(quote !== undefined && { quote }),
      statedOn,
      source: { ...(url !== undefined && { url }), ...(title !== undefined && { title }), ...(publisher !== undefined && { publisher }), ...(publishedOn !== undefined && { publishedOn }) },
      ...(onBehalfOf !== undefined && { onBehalfOf }),
    };
    const recorded = await this.commands.execute(new RecordStatementCommand(statement, context, parseIfMatch(ifMatch)));
    void reply.header('ETag', `"${recorded.streamPosition}"`);
    const { statementId, recordedAt, position } = recorded;
    return { statementId, actorId, topicId, recordedAt, position };
  }
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
