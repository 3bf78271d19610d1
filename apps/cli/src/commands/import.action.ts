import type { INestApplicationContext } from '@nestjs/common';
import { ImportService, type ImportSession, type ViewsInStep } from '@positions/application';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { CliConfig } from '../cli-config';
import { BULK_SQLITE, withApplication } from '../cli-context';
import { invalidInput } from '../cli-errors';
import { FileProblems } from '../file-problems';
import { importCsv } from '../import/csv-import';
import { importDataSet } from '../import/data-set-import';
import { type ImportOptions, ImportRun } from '../import/import-run';
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
  const warn = (message: string) => note(`warning: ${message}`);
  const session: ImportSession = app.get(ImportService).start({
    recordedBy: config.recordedBy,
    warn,
    walAutocheckpointPages: BULK_SQLITE.walAutocheckpointPages,
    // On the embedded store, the views are fed on a thread of their own (not for a dry run: it writes nothing).
    ...(config.store.kind === 'sqlite' && !options.dryRun && { views: (fallback) => viewsThread(config, fallback, warn) }),
  });
  const run = new ImportRun(file, options, new FileProblems(file), session);
  const started = Date.now();
  try {
    await (format === 'csv' ? importCsv(run) : importDataSet(run));
  } finally {
    await session.close();
  }
  note(run.summary((Date.now() - started) / 1000));
  if (flags.json) await printJson({ file, dryRun: options.dryRun, ...run.counts, problems: run.problems.list });
}

/**
 * The views of the embedded store, fed on a thread of their own (ViewsThread) while the next
 * batches are checked and written; the application's runner catches up at the end, past what the
 * thread applied. Its connections to the views file checkpoint their log as seldom as the store's
 * do (BULK_SQLITE); their page cache is the views' own.
 */
function viewsThread(config: CliConfig, fallback: ViewsInStep, warn: (message: string) => void): ViewsThread {
  const files = { eventsFile: join(config.dataDir, 'events.db'), viewsFile: join(config.dataDir, 'views.db') };
  return new ViewsThread({ ...files, batchSize: VIEWS_BATCH, trailingRows: VIEWS_BATCH, bulkTrailingRows: BULK_TRAILING_ROWS, ...BULK_SQLITE }, fallback, warn, note);
}

/** Events per transaction of the views thread, and how many written rows the views may trail by meanwhile. */
const VIEWS_BATCH = 20_000;
/**
 * How many written rows views built in bulk may trail by: the search's words of 100,000 versions
 * at once hold the thread for seconds, which the writes should not wait for. Rows trailing cost
 * no memory (the thread reads them from the log); the views catch up before the import ends.
 */
const BULK_TRAILING_ROWS = 250_000;
