import type { INestApplicationContext } from '@nestjs/common';
import { ImportService, type ImportSession, type ViewsInStep } from '@positions/application';
import { Option, type Command } from 'commander';
import { accessSync, constants } from 'node:fs';
import { extname, join } from 'node:path';
import type { CliConfig } from '../cli-config';
import { BULK_SQLITE, withApplication } from '../cli-context';
import { invalidInput, usageError } from '../cli-errors';
import { FileProblems } from '../file-problems';
import { importCsv } from '../import/csv-import';
import { CSV_COLUMNS } from '../import/csv-statements';
import { importDataSet } from '../import/data-set-import';
import { type ImportOptions, ImportRun } from '../import/import-run';
import { ViewsThread } from '../import/views-thread';
import { note, printJson } from '../output';
import { examples, positiveInteger } from './arguments';

interface ImportFlags {
  skipInvalid?: boolean;
  dryRun?: boolean;
  batchSize: number;
  format?: 'csv' | 'json';
  json?: boolean;
}

/** `import FILE`: a data set (JSON) or a statements CSV, checked whole against the API's rules before anything is written. */
export function registerImportCommand(program: Command, config: () => CliConfig): void {
  program
    .command('import')
    .description('import a data set (.json) or a CSV of statements; every row is checked first, and nothing is written if one is invalid')
    .argument('<file>', `a data set such as samples/sanctions-2025-02-26.json, or a CSV with the header ${CSV_COLUMNS.join(',')}`)
    .option('--skip-invalid', 'write the valid rows and report the invalid ones, instead of writing nothing')
    .option('--dry-run', 'check every row and report, but write nothing')
    .option('--batch-size <n>', 'rows written per batch (one transaction)', positiveInteger, 5000)
    .addOption(new Option('--format <format>', 'the file format, when its extension does not say').choices(['csv', 'json']))
    .option('--json', 'print the counts as JSON on stdout')
    .addHelpText('after', `
Rows already in the store (the same actor, topic, stance, words, date and source) are recognized and
not written again, so importing a file twice writes nothing the second time. Problems are printed as
FILE:LINE: FIELD: problem. Events are recorded by cli:{your user name}.
${examples([
  ['positions import samples/sanctions-2025-02-26.json', 'actors, affiliations, topics and statements of one article'],
  ['positions import statements.csv --dry-run', 'check a spreadsheet against the record without writing'],
  ['positions import statements.csv --skip-invalid', 'write the good rows, list the bad ones'],
])}`)
    .action((file: string, flags: ImportFlags) => {
      const format = formatOf(file, flags.format);
      return withApplication(config(), (app) => runImport(app, config(), file, format, flags));
    });
}

function formatOf(file: string, given: 'csv' | 'json' | undefined): 'csv' | 'json' {
  if (given) return given;
  const ext = extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.json') return ext === '.csv' ? 'csv' : 'json';
  throw usageError(`cannot tell the format of ${file} from its extension: add --format csv or --format json`);
}

async function runImport(app: INestApplicationContext, config: CliConfig, file: string, format: 'csv' | 'json', flags: ImportFlags): Promise<void> {
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
  return new ViewsThread({ ...files, batchSize: VIEWS_BATCH, trailingRows: VIEWS_BATCH, ...BULK_SQLITE }, fallback, warn);
}

/** Events per transaction of the views thread, and how many written rows the views may trail by meanwhile. */
const VIEWS_BATCH = 20_000;
