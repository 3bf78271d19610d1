import { type DynamicModule, Logger, Module, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { ApplicationModule, type Clock, WATCH_CHECKPOINT, WatchDispatcher } from '@positions/application';
import { type EventStore, openStore } from '@positions/event-store';
import { WalCheckpointer } from '@positions/event-store/sqlite';
import { openViewsDatabase, WatchCheckpoint } from '@positions/projections';
import { join } from 'node:path';
import { ActorsController } from './actors/actors.controller';
import { adminKeyFile, ApiKeys, keyIdSecret } from './auth/api-keys';
import { API_KEYS, ApiKeyGuard, READ_ACCESS } from './auth/auth.guard';
import { ErrorsFilter } from './common/errors.filter';
import type { AppConfig } from './config';
import { DemoSeeder } from './demo/demo-seeder';
import { RecordingClock } from './demo/recording-clock';
import { EventsController } from './events/events.controller';
import { VoiceController } from './positions/voice.controller';
import { ProjectionsController } from './projections/projections.controller';
import { TopicLandscapeController } from './topics/topic-landscape.controller';
import { HealthController } from './health/health.controller';
import { loggerParams } from './logging';
import { Readiness } from './health/readiness';
import { WriteHealth } from './health/write-health';
import { PositionsController } from './positions/positions.controller';
import { StatementsController } from './statements/statements.controller';
import { StatementSearchController } from './statements/statement-search.controller';
import { TopicFeedController } from './topics/topic-feed.controller';
import { TopicsController } from './topics/topics.controller';
import { StreamController } from './stream/stream.controller';
import { WebhooksController } from './webhooks/webhooks.controller';
import { IntakeController } from './intake/intake.controller';
import { WEBHOOK_OPTIONS, WebhooksService } from './webhooks/webhooks.service';
import type { RetryPolicy } from './webhooks/webhook-worker';

export interface AppOverrides {
  clock?: Clock;
  /** Replaces the configured store (tests). */
  openStore?: () => EventStore | Promise<EventStore>;
  /** Extra controllers (the benchmark's bare route). */
  controllers?: Type[];
  /** The built web page's folder, instead of the package's `dist/web` (tests). */
  webAppDir?: string;
  /** Webhook retry timing (tests). */
  webhookRetry?: RetryPolicy;
}

/** Seeds the demo data when asked, then declares the service ready. */
class Startup implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    private readonly seeder: DemoSeeder,
    private readonly readiness: Readiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.seedDemo) await this.seeder.seedIfEmpty();
    this.readiness.markReady();
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, overrides: AppOverrides = {}): DynamicModule {
    const clock = new RecordingClock(overrides.clock ?? (() => new Date()));
    // The service's SQLite files (the log when embedded, the views, the watch state) copy their
    // write-ahead logs back on a thread of its own, not in commits on the event loop (decision 0043).
    const checkpoints = new WalCheckpointer((error) => new Logger('Storage').error(`write-ahead log checkpoints: ${error.message}`));
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config.logLevel)),
        TerminusModule.forRoot({ logger: false }),
        ApplicationModule.forRoot({
          openStore: overrides.openStore ?? (() => openStore(config.store, { clock: clock.now, sqlite: { checkpoints } })),
          viewsFile: join(config.dataDir, 'views.db'),
          clock: clock.now,
          checkpoints,
          // A search that reads a long list of matches must not hold the other requests (decision 0048).
          searchThread: true,
        }),
      ],
      controllers: [
        ActorsController,
        TopicsController,
        TopicLandscapeController,
        StatementsController,
        IntakeController,
        StatementSearchController,
        TopicFeedController,
        PositionsController,
        VoiceController,
        EventsController,
        ProjectionsController,
        HealthController,
        StreamController,
        WebhooksController,
        ...(overrides.controllers ?? []),
      ],
      providers: [
        { provide: API_KEYS, useValue: apiKeys(config) },
        { provide: READ_ACCESS, useValue: config.readAccess },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ErrorsFilter },
        Readiness,
        WriteHealth,
        DemoSeeder,
        { provide: RecordingClock, useValue: clock },
        { provide: WEBHOOK_OPTIONS, useValue: { dataDir: config.dataDir, allowPrivate: config.webhookAllowPrivate, retry: overrides.webhookRetry } },
        // Here, not in the application module: only the service watches (CLI commands need not fold the log for it).
        // Its checkpoint is a file of its own in DATA_DIR, local to this instance (docs/decisions/0026-watch-checkpoint.md).
        {
          provide: WATCH_CHECKPOINT,
          useFactory: () => {
            const db = openViewsDatabase(join(config.dataDir, 'watch.db'));
            checkpoints.add(db);
            return new WatchCheckpoint(db);
          },
        },
        WatchDispatcher,
        WebhooksService,
        { provide: Startup, useFactory: (seeder: DemoSeeder, readiness: Readiness) => new Startup(config, seeder, readiness), inject: [DemoSeeder, Readiness] },
      ],
    };
  }
}

function apiKeys(config: AppConfig): ApiKeys {
  const secret = keyIdSecret(config.dataDir, config.keyIdSecret);
  if (config.apiKeys) return ApiKeys.parse(config.apiKeys, secret);
  const { key, file, created } = adminKeyFile(config.dataDir);
  new Logger('Auth').log(`API_KEYS is not set: the admin key is ${created ? 'written to' : 'read from'} ${file}`);
  return new ApiKeys([{ role: 'admin', key }], secret);
}
