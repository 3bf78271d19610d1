import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { EVENT_STORE } from '@positions/application';
import { type EventStore, StoreUnavailableError } from '@positions/event-store';
import { ProjectionRunner } from '@positions/projections';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.guard';
import { Readiness } from './readiness';
import { WriteHealth } from './write-health';

class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'] }) status!: string;
  @ApiProperty({ example: 'sqlite', description: 'The event store in use' }) store!: string;
  @ApiProperty({ description: 'Each check: the store, the views, start-up', example: { store: { status: 'up', lastPosition: 42 } } })
  details!: Record<string, unknown>;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: Readiness,
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly writes: WriteHealth,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Whether the service can answer: store open and taking writes, views caught up, start-up done' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthResponse })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const started = () => {
      const session = this.indicators.check('startup');
      return this.readiness.isReady ? session.up() : session.down({ message: this.readiness.why });
    };
    const store = async () => {
      const session = this.indicators.check('store');
      try {
        return session.up({ kind: this.store.kind, lastPosition: await this.store.lastPosition() });
      } catch (error) {
        // The error names files or servers: logged by the store's caller, not shown on a public route.
        const reason = error instanceof StoreUnavailableError && error.reason ? error.reason : 'the store cannot be read';
        return session.down({ kind: this.store.kind, message: reason });
      }
    };
    const writes = () => {
      const session = this.indicators.check('writes');
      const refusal = this.writes.refusal;
      return refusal === null ? session.up() : session.down({ message: `the last command could not be written: ${refusal}` });
    };
    const views = async () => {
      const session = this.indicators.check('views');
      const failed = (await this.runner.info()).filter((v) => v.status === 'failed');
      return failed.length ? session.down({ failed: failed.map((v) => v.name) }) : session.up();
    };
    try {
      const result = await this.health.check([started, store, writes, views]);
      return { status: result.status, store: this.store.kind, details: result.details };
    } catch (error) {
      void reply.status(503);
      const response = (error as { getResponse?: () => { details?: Record<string, unknown> } }).getResponse?.();
      return { status: 'error', store: this.store.kind, details: response?.details ?? {} };
    }
  }
}
