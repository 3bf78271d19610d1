import { Logger, type OnApplicationShutdown, type OnModuleInit, type Provider } from '@nestjs/common';
import type { EventStore } from '@positions/event-store';
import type { WalCheckpointer } from '@positions/event-store/sqlite';
import { ALL_PROJECTIONS, bindViewsToStore, openViewsDatabase, ProjectionRunner, ReadModels, SearchThread, type ViewsDatabase } from '@positions/projections';
import { CLOCK, type Clock, EVENT_STORE, VIEWS_DATABASE } from '../tokens';

export interface ApplicationOptions {
  /** Opens the event store of record. */
  openStore: () => EventStore | Promise<EventStore>;
  /** The local SQLite file of the read models (`:memory:` in tests). */
  viewsFile: string;
  clock?: Clock;
  /** Copies the views file's write-ahead log back on a thread of its own (the service); closed on shutdown. */
  checkpoints?: WalCheckpointer;
  /** Runs statement searches on a thread of their own (the service; see SearchThread); ignored for `:memory:`. */
  searchThread?: boolean;
}

/** Opens the views on start (catching them up with the log) and closes everything on shutdown. Made by its provider's factory. */
class ApplicationLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly store: EventStore,
    private readonly db: ViewsDatabase,
    private readonly runner: ProjectionRunner,
    private readonly views: ReadModels,
    private readonly checkpoints?: WalCheckpointer,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.runner.stop();
    await this.views.close();
    await this.checkpoints?.close();
    await this.store.close();
    this.db.close();
  }
}

/** The store, the clock and the views kept in step with the log: what every use case, read or write, stands on. */
export function viewsProviders(options: ApplicationOptions): Provider[] {
  const logger = new Logger('Projections');
  return [
    { provide: EVENT_STORE, useFactory: options.openStore },
    { provide: CLOCK, useValue: options.clock ?? (() => new Date()) },
    {
      provide: VIEWS_DATABASE,
      useFactory: () => {
        const db = openViewsDatabase(options.viewsFile);
        options.checkpoints?.add(db);
        return db;
      },
    },
    {
      provide: ProjectionRunner,
      useFactory: async (store: EventStore, db: ViewsDatabase) => {
        // Checkpoints are positions of one log: views built from another one are rebuilt.
        if (await bindViewsToStore(db, store, ALL_PROJECTIONS)) logger.log('the views were built from another event store: rebuilding them from this one');
        return new ProjectionRunner(store, db, ALL_PROJECTIONS, logger);
      },
      inject: [EVENT_STORE, VIEWS_DATABASE],
    },
    {
      provide: ReadModels,
      useFactory: (db: ViewsDatabase, runner: ProjectionRunner) =>
        new ReadModels(db, runner, options.searchThread && options.viewsFile !== ':memory:' ? new SearchThread(options.viewsFile, (error) => logger.error(error.message)) : undefined),
      inject: [VIEWS_DATABASE, ProjectionRunner],
    },
    {
      provide: ApplicationLifecycle,
      useFactory: (store: EventStore, db: ViewsDatabase, runner: ProjectionRunner, views: ReadModels) => new ApplicationLifecycle(store, db, runner, views, options.checkpoints),
      inject: [EVENT_STORE, VIEWS_DATABASE, ProjectionRunner, ReadModels],
    },
  ];
}

/** What the views providers export to the modules that import them. */
export const VIEWS_EXPORTS = [EVENT_STORE, CLOCK, VIEWS_DATABASE, ProjectionRunner, ReadModels];
