import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApplicationModule } from '@positions/application';
import * as eventStores from '@positions/event-store';
import { type EventStore, SqliteEventStore } from '@positions/event-store';
import { join } from 'node:path';
import type { CliConfig } from './cli-config';
import { usageError } from './cli-errors';
import { StderrLogger } from './stderr-logger';

export interface StoreOptions {
  /** The source of `recordedAt` (import-events sets it to each event's own); default: the system clock. */
  clock?: () => Date;
}

/** Opens the store of record the way the service does: `DATA_DIR/events.db`, or KurrentDB. */
export async function openStore(config: CliConfig, options: StoreOptions = {}): Promise<EventStore> {
  if (config.store === 'sqlite') return SqliteEventStore.open(join(config.dataDir, 'events.db'), { clock: options.clock });
  if (!config.connectionString) throw usageError('EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING (e.g. kurrentdb://localhost:2113?tls=false)');
  const connect = kurrentDbConnect();
  if (!connect) {
    throw usageError('EVENT_STORE=eventstoredb: this build has no KurrentDB adapter (@positions/event-store exports no KurrentDbEventStore); use EVENT_STORE=sqlite');
  }
  return connect(config.connectionString, { clock: options.clock });
}

type KurrentDbConnect = (connectionString: string, options: { clock?: () => Date }) => Promise<EventStore>;

/**
 * The KurrentDB adapter is looked up at run time: it is being written alongside the CLI, and
 * until `@positions/event-store` exports it the option must fail with a message, not a crash.
 */
function kurrentDbConnect(): KurrentDbConnect | null {
  const adapter = (eventStores as unknown as Record<string, { connect?: KurrentDbConnect } | undefined>).KurrentDbEventStore;
  return typeof adapter?.connect === 'function' ? adapter.connect.bind(adapter) : null;
}

/**
 * The application as the API runs it (same module, handlers, projections and views file), without
 * HTTP. Starting it catches the views up with the log; closing it closes the store and the views.
 */
export async function withApplication<T>(config: CliConfig, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const module = ApplicationModule.forRoot({ openStore: () => openStore(config), viewsFile: join(config.dataDir, 'views.db') });
  // abortOnError false: a store that cannot be opened is reported and exits with a code, not abort().
  const app = await NestFactory.createApplicationContext(module, { logger: new StderrLogger(config.verbose), abortOnError: false });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

/** The store alone, for commands that only read or write the log (export, import-events): no views to catch up. */
export async function withStore<T>(config: CliConfig, work: (store: EventStore) => Promise<T>, options: StoreOptions = {}): Promise<T> {
  const store = await openStore(config, options);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
