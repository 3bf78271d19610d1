import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type CommandContext, GetActorQuery, GetTopicQuery } from '@positions/application';
import { RequiresRole } from '../auth/auth.guard';
import { ApiErrors } from '../common/api-errors';
import { CommandRoute } from '../common/api-routes';
import { NoQueryPipe } from '../common/no-query.pipe';
import { CommandCtx } from '../common/request-context';
import { RegisteredWebhookResponse, RegisterWebhookDto, WebhookResponse } from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('watch')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @CommandRoute('admin', { summary: 'Register a webhook: the stream\'s messages POSTed to a URL, signed (Standard Webhooks), at least once, in log order', answer: RegisteredWebhookResponse, errors: [404, 422] })
  async register(@Body() body: RegisterWebhookDto, @CommandCtx() context: CommandContext): Promise<RegisteredWebhookResponse> {
    if (body.topicId !== undefined) await this.queries.execute(new GetTopicQuery(body.topicId));
    if (body.actorId !== undefined) await this.queries.execute(new GetActorQuery(body.actorId));
    const filters = { ...(body.topicId !== undefined && { topicId: body.topicId }), ...(body.actorId !== undefined && { actorId: body.actorId }), ...(body.types !== undefined && { types: body.types }) };
    return this.webhooks.register(body.url, filters, context);
  }

  @Get()
  @RequiresRole('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Every webhook with its delivery state' })
  @ApiResponse({ status: 200, type: [WebhookResponse] })
  @ApiErrors(400, 401, 403, 429)
  list(@Query(new NoQueryPipe()) _query: Record<string, unknown>): WebhookResponse[] {
    return this.webhooks.list();
  }

  @Get(':id')
  @RequiresRole('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'One webhook: active, failing or disabled, delivered through which log position, its last error' })
  @ApiResponse({ status: 200, type: WebhookResponse })
  @ApiErrors(400, 401, 403, 404, 429)
  get(@Param('id', uuid) id: string, @Query(new NoQueryPipe()) _query: Record<string, unknown>): WebhookResponse {
    return this.webhooks.get(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequiresRole('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Stop a webhook: nothing more is delivered to it' })
  @ApiResponse({ status: 204 })
  @ApiErrors(400, 401, 403, 404, 413, 415, 429)
  async remove(@Param('id', uuid) id: string, @CommandCtx() context: CommandContext): Promise<void> {
    await this.webhooks.remove(id, context);
  }
}
