import { Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { ListProjectionsQuery, RebuildProjectionCommand } from '@positions/application';
import { CommandRoute, QueryRoute } from '../common/api-routes';
import { NoQueryPipe } from '../common/no-query.pipe';
import { SlugPipe } from '../common/id.pipes';

class RebuildProgressResponse {
  @ApiProperty({ enum: ['running', 'failed'] }) status!: string;
  @ApiProperty({ description: 'The generation of tables being filled' }) generation!: number;
  @ApiProperty({ description: 'The global position reached (positions are not event counts: on KurrentDB they are log offsets)' }) position!: number;
  @ApiProperty({ description: "The log's last position when the rebuild started" }) total!: number;
  @ApiProperty({ description: 'Positions per second' }) rate!: number;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

class ProjectionResponse {
  @ApiProperty({ example: 'statements' }) name!: string;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ description: 'Global position of the last event the serving view has taken in' }) position!: number;
  @ApiProperty({ description: 'Events of the log the serving view has not taken in yet (counted up to 10 000)' }) lag!: number;
  @ApiProperty({ enum: ['live', 'rebuilding', 'failed'] }) status!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why the view, or its last rebuild, failed' }) error!: string | null;
  @ApiProperty({ type: RebuildProgressResponse, nullable: true }) rebuild!: RebuildProgressResponse | null;
}

class RebuildStartedResponse {
  @ApiProperty() name!: string;
  @ApiProperty({ type: RebuildProgressResponse }) rebuild!: RebuildProgressResponse;
}

@ApiTags('projections')
@Controller('projections')
export class ProjectionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @QueryRoute({ summary: "Each read model's name, version, checkpoint, lag behind the log, status and rebuild progress", answer: [ProjectionResponse] })
  async list(@Query(new NoQueryPipe()) _query: Record<string, unknown>): Promise<ProjectionResponse[]> {
    return this.queries.execute(new ListProjectionsQuery());
  }

  @Post(':name/rebuild')
  @CommandRoute('admin', {
    summary: 'Rebuild a view from the whole log into fresh tables while the current one keeps answering, then switch',
    answer: RebuildStartedResponse,
    status: 202,
    idempotent: false,
    errors: [404, 409],
  })
  async rebuild(@Param('name', new SlugPipe('name')) name: string): Promise<RebuildStartedResponse> {
    return this.commands.execute(new RebuildProjectionCommand(name));
  }
}
