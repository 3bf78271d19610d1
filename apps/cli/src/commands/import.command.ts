import { Option, type Command } from 'commander';
import { extname } from 'node:path';
import type { CliConfig } from '../cli-config';
import { usageError } from '../cli-errors';
import { examples, positiveInteger } from './arguments';
import type { ImportFlags } from './import.action';

/**
 * The CSV header, spelled out rather than taken from the importer's CSV_COLUMNS: that module loads
 * the validators, and `--help` must not load the importer (program.spec.ts checks the two agree).
 */
export const CSV_HEADER = 'actorId,topicId,stance,statedOn,statedOnWording,summary,quote,sourceUrl,sourceTitle,publisher,publishedOn,onBehalfOf';

/** `import FILE`: a data set (JSON) or a statements CSV, checked whole against the API's rules before anything is written. */
export function registerImportCommand(program: Command, config: () => CliConfig): void {
  program
    .command('import')
    .description('import a data set (.json) or a CSV of statements; every row is checked first, and nothing is written if one is invalid')
    .argument('<file>', `a data set such as samples/sanctions-2025-02-26.json, or a CSV with the header ${CSV_HEADER}`)
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
    .action(async (file: string, flags: ImportFlags) => {
      const format = formatOf(file, flags.format);
      // The importer and the application it starts are loaded when an import runs, not for --help.
      const { runImport } = await import('./import.action');
      await runImport(config(), file, format, flags);
    });
}

function formatOf(file: string, given: 'csv' | 'json' | undefined): 'csv' | 'json' {
  if (given) return given;
  const ext = extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.json') return ext === '.csv' ? 'csv' : 'json';
  throw usageError(`cannot tell the format of ${file} from its extension: add --format csv or --format json`);
}
