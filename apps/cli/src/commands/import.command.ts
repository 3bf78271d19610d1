import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, type Clock, EVENT_STORE, StatementFactsReader, StreamCommands } from '@positions/application';
import type { EventStore } from '@positions/event-store';
import { Option, type Command } from 'commander';
import { accessSync, constants } from 'node:fs';
import { extname } from 'node:path';
import type { CliConfig } from '../cli-config';
import { withApplication } from '../cli-context';
import { invalidInput, usageError } from '../cli-errors';
import { FileProblems } from '../file-problems';
import { importCsv } from '../import/csv-import';
import { CSV_COLUMNS } from '../import/csv-statements';
import { importDataSet } from '../import/data-set-import';
import { DryRun } from '../import/dry-run';
import { type ImportOptions, ImportRun } from '../import/import-run';
import { StatementWriter } from '../import/statement-writer';
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
    .option('--batch-size <n>', 'rows written per batch', positiveInteger, 1000)
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
  const streams = app.get(StreamCommands);
  const dryRun = new DryRun(app.get<EventStore>(EVENT_STORE), streams, app.get<Clock>(CLOCK));
  // StatementFactsReader is not among the module's exports; the context finds it anyway (non-strict get).
  const facts = app.get(StatementFactsReader, { strict: false });
  const run = new ImportRun(file, options, new FileProblems(file), dryRun, config.recordedBy, (context) => new StatementWriter(streams, facts, context));
  const started = Date.now();
  await (format === 'csv' ? importCsv(run) : importDataSet(run, app.get(CommandBus)));
  note(run.summary((Date.now() - started) / 1000));
  if (flags.json) await printJson({ file, dryRun: options.dryRun, ...run.counts, problems: run.problems.list });
}
