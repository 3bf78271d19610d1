import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ApplicationOptions } from '@positions/application/read';
import { type EventStore, eventsFile, openStore as openConfiguredStore } from '@positions/event-store';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CliConfig } from './cli-config';
import { StderrLogger } from './stderr-logger';

export interface StoreOptions {
  /** The source of `recordedAt`; default: the system clock. */
  clock?: () => Date;
}

/**
 * How the CLI's connections to the embedded store are tuned for bulk writes (imports): a page
 * cache for the indexes (16 MiB; larger ones did not make a million-row import faster), and
 * checkpoints every 64 MiB of log instead of every 4 MiB, so that a page written by many commits
 * is copied back into the database once. Per connection: the service's keep their settings.
 */
export const BULK_SQLITE = { cacheKiB: 16 * 1024, walAutocheckpointPages: 16_384 } as const;

/**
 * Opens the store of record through the same factory as the service: the embedded
 * `DATA_DIR/events.db` tuned for bulk writes, or a KurrentDB / EventStoreDB server (an
 * unreachable one is a StoreUnavailableError: exit 3).
 */
export async function openStore(config: CliConfig, options: StoreOptions = {}): Promise<EventStore> {
  // Like the service, a missing store is created; but a mistyped DATA_DIR should not pass unnoticed.
  if (config.store.kind === 'sqlite' && !existsSync(eventsFile(config.dataDir))) {
    process.stderr.write(`note: no store in ${config.dataDir} yet: creating an empty one\n`);
  }
  return openConfiguredStore(config.store, { clock: options.clock, sqlite: BULK_SQLITE });
}

/**
 * The application as the API runs it (same module, handlers, projections and views file), without
 * HTTP. Starting it catches the views up with the log; closing it closes the store and the views.
 */
export async function withApplication<T>(config: CliConfig, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const { ApplicationModule } = await import('@positions/application');
  return withContext(ApplicationModule.forRoot(applicationOptions(config)), config, work);
}

/**
 * The application's questions alone (ReadApplicationModule): the same handlers, views and catch-up
 * as withApplication, without loading the commands, the importer or the intake.
 */
export async function withQueries<T>(config: CliConfig, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const { ReadApplicationModule } = await import('@positions/application/read');
  return withContext(ReadApplicationModule.forRoot(applicationOptions(config)), config, work);
}

function applicationOptions(config: CliConfig): ApplicationOptions {
  return { openStore: () => openStore(config), viewsFile: join(config.dataDir, 'views.db') };
}

async function withContext<T>(module: DynamicModule, config: CliConfig, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
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
