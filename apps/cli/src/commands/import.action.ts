import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, type Clock, EVENT_STORE, StatementFactsReader, StreamCommands, VIEWS_DATABASE } from '@positions/application';
import type { EventStore } from '@positions/event-store';
import { ProjectionRunner, type ViewsDatabase } from '@positions/projections';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { CliConfig } from '../cli-config';
import { BULK_SQLITE, withApplication } from '../cli-context';
import { invalidInput } from '../cli-errors';
import { FileProblems } from '../file-problems';
import { importCsv } from '../import/csv-import';
import { importDataSet } from '../import/data-set-import';
import { DryRun } from '../import/dry-run';
import { type ImportOptions, ImportRun } from '../import/import-run';
import { StatementWriter, type ViewsInStep } from '../import/statement-writer';
import { ViewsThread } from '../import/views-thread';
import { note, printJson } from '../output';

export interface ImportFlags {
  skipInvalid?: boolean;
  dryRun?: boolean;
  batchSize: number;
  format?: 'csv' | 'json';
  json?: boolean;
}

/** The work of `import FILE` (import.command.ts), in the application as the API runs it. */
export function runImport(config: CliConfig, file: string, format: 'csv' | 'json', flags: ImportFlags): Promise<void> {
  return withApplication(config, (app) => importInto(app, config, file, format, flags));
}

async function importInto(app: INestApplicationContext, config: CliConfig, file: string, format: 'csv' | 'json', flags: ImportFlags): Promise<void> {
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw invalidInput(`cannot read ${file}`);
  }
  const options: ImportOptions = { skipInvalid: flags.skipInvalid ?? false, dryRun: flags.dryRun ?? false, batchSize: flags.batchSize };
  const streams = app.get(StreamCommands);
  const store = app.get<EventStore>(EVENT_STORE);
  const dryRun = new DryRun(store, streams, app.get<Clock>(CLOCK));
  // StatementFactsReader is not among the module's exports; the context finds it anyway (non-strict get).
  const facts = app.get(StatementFactsReader, { strict: false });
  const warn = (message: string) => note(`warning: ${message}`);
  const views = importViews(app, config, options, warn);
  const run = new ImportRun(file, options, new FileProblems(file), dryRun, config.recordedBy, ({ context, counts }) =>
    new StatementWriter({ store, dryRun, streams, facts, views: views.inStep, counts, context, warn }),
  );
  const started = Date.now();
  try {
    await (format === 'csv' ? importCsv(run) : importDataSet(run, app.get(CommandBus)));
  } finally {
    await views.close();
    await inStepWithTheLog(app.get(ProjectionRunner), store, warn);
  }
  note(run.summary((Date.now() - started) / 1000));
  if (flags.json) await printJson({ file, dryRun: options.dryRun, ...run.counts, problems: run.problems.list });
}

/**
 * The views the import keeps in step with its batches. On the embedded store, a thread of their
 * own (ViewsThread), fed while the next batches are checked and written; the application's
 * runner stops following the log meanwhile (it would do the same work on this thread), and
 * catches up at the end, past what the thread applied. On KurrentDB, and for a dry run, the
 * application's runner, on this thread. Either way the connections to the views file checkpoint
 * their log as seldom as the store's do (BULK_SQLITE); their page cache is the views' own.
 */
function importViews(app: INestApplicationContext, config: CliConfig, options: ImportOptions, warn: (message: string) => void): { inStep: ViewsInStep; close: () => Promise<void> } {
  const runner = app.get(ProjectionRunner);
  app.get<ViewsDatabase>(VIEWS_DATABASE).pragma(`wal_autocheckpoint = ${BULK_SQLITE.walAutocheckpointPages}`);
  if (config.store !== 'sqlite' || options.dryRun) return { inStep: runner, close: async () => undefined };
  const thread = new ViewsThread(
    { eventsFile: join(config.dataDir, 'events.db'), viewsFile: join(config.dataDir, 'views.db'), batchSize: VIEWS_BATCH, trailingRows: VIEWS_BATCH, ...BULK_SQLITE },
    runner,
    warn,
  );
  runner.stop();
  return { inStep: thread, close: () => thread.close() };
}

/** Whatever was written (all, some, nothing), the views are in step with the whole log before the command ends. */
async function inStepWithTheLog(runner: ProjectionRunner, store: EventStore, warn: (message: string) => void): Promise<void> {
  try {
    await runner.waitFor(await store.lastPosition());
  } catch (error) {
    warn(`the views did not catch up with the log: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Events per transaction of the views thread, and how many written rows the views may trail by meanwhile. */
const VIEWS_BATCH = 20_000;
