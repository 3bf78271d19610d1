import { type DynamicModule, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { EventStore } from '@positions/event-store';
import { ALL_PROJECTIONS, bindViewsToStore, openViewsDatabase, ProjectionRunner, ReadModels, type ViewsDatabase } from '@positions/projections';
import { AddStanceHandler } from './add-stance/add-stance.handler';
import { BeginAffiliationHandler } from './begin-affiliation/begin-affiliation.handler';
import { DataSetLoader } from './data-set/data-set.loader';
import { EndAffiliationHandler } from './end-affiliation/end-affiliation.handler';
import { OpenTopicHandler } from './open-topic/open-topic.handler';
import { GetActorHandler, ListActorsHandler } from './queries/actors.queries';
import { PositionAtHandler } from './queries/position-at.query';
import { GetTopicHandler, ListTopicsHandler } from './queries/topics.queries';
import { RecordStatementHandler } from './record-statement/record-statement.handler';
import { RegisterActorHandler } from './register-actor/register-actor.handler';
import { StreamCommands } from './stream-commands';
import { StatementStreams } from './statement-locator';
import { StatementFactsReader } from './statement-facts';
import { CorrectStatementHandler } from './correct-statement/correct-statement.handler';
import { RetractStatementHandler } from './retract-statement/retract-statement.handler';
import { GetStatementHandler, StatementHistoryHandler } from './queries/statements.queries';
import { SearchStatementsHandler } from './queries/search-statements.query';
import { TopicFeedHandler } from './queries/topic-feed.query';
import { TopicPanelHandler } from './queries/topic-panel.query';
import { TimelineHandler } from './queries/timeline.query';
import { EventsHandler } from './queries/events.query';
import { TopicChangesHandler, TopicLandscapeHandler } from './queries/landscape.queries';
import { VoiceHandler } from './queries/voice.query';
import { StanceCountsHandler } from './queries/stance-counts.query';
import { ListProjectionsHandler, RebuildProjectionHandler } from './rebuild-projection/rebuild-projection.handler';
import { ImportService } from './import/import.service';
import { TakeArticleHandler } from './intake/take-article.handler';
import { AcceptCandidateHandler, RejectCandidateHandler } from './intake/decide-candidate.handler';
import { GetIntakeDraftHandler } from './intake/intake-draft.query';
import { CLOCK, type Clock, EVENT_STORE, VIEWS_DATABASE } from './tokens';

export interface ApplicationOptions {
  /** Opens the event store of record. */
  openStore: () => EventStore | Promise<EventStore>;
  /** The local SQLite file of the read models (`:memory:` in tests). */
  viewsFile: string;
  clock?: Clock;
}

const HANDLERS = [
  RegisterActorHandler,
  BeginAffiliationHandler,
  EndAffiliationHandler,
  OpenTopicHandler,
  AddStanceHandler,
  RecordStatementHandler,
  GetActorHandler,
  ListActorsHandler,
  GetTopicHandler,
  ListTopicsHandler,
  PositionAtHandler,
  CorrectStatementHandler,
  RetractStatementHandler,
  GetStatementHandler,
  StatementHistoryHandler,
  SearchStatementsHandler,
  TopicFeedHandler,
  TopicPanelHandler,
  TimelineHandler,
  EventsHandler,
  TopicLandscapeHandler,
  TopicChangesHandler,
  VoiceHandler,
  StanceCountsHandler,
  ListProjectionsHandler,
  RebuildProjectionHandler,
  TakeArticleHandler,
  AcceptCandidateHandler,
  RejectCandidateHandler,
  GetIntakeDraftHandler,
];

/** Opens the views on start (catching them up with the log) and closes everything on shutdown. */
class ApplicationLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VIEWS_DATABASE) private readonly db: ViewsDatabase,
    private readonly runner: ProjectionRunner,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.runner.stop();
    await this.store.close();
    this.db.close();
  }
}

/** The service's use cases over one event store and its local read models. */
@Module({})
export class ApplicationModule {
  static forRoot(options: ApplicationOptions): DynamicModule {
    const logger = new Logger('Projections');
    return {
      module: ApplicationModule,
      global: true,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: EVENT_STORE, useFactory: options.openStore },
        { provide: CLOCK, useValue: options.clock ?? (() => new Date()) },
        { provide: VIEWS_DATABASE, useFactory: () => openViewsDatabase(options.viewsFile) },
        {
          provide: ProjectionRunner,
          useFactory: async (store: EventStore, db: ViewsDatabase) => {
            // Checkpoints are positions of one log: views built from another one are rebuilt.
            if (await bindViewsToStore(db, store, ALL_PROJECTIONS)) logger.log('the views were built from another event store: rebuilding them from this one');
            return new ProjectionRunner(store, db, ALL_PROJECTIONS, logger);
          },
          inject: [EVENT_STORE, VIEWS_DATABASE],
        },
        { provide: ReadModels, useFactory: (db: ViewsDatabase, runner: ProjectionRunner) => new ReadModels(db, runner), inject: [VIEWS_DATABASE, ProjectionRunner] },
        StreamCommands,
        StatementStreams,
        StatementFactsReader,
        DataSetLoader,
        ImportService,
        ApplicationLifecycle,
        ...HANDLERS,
      ],
      exports: [EVENT_STORE, CLOCK, VIEWS_DATABASE, ProjectionRunner, ReadModels, StreamCommands, DataSetLoader, ImportService],
    };
  }
}
