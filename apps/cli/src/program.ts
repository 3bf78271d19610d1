import { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type GlobalOptions, loadCliConfig } from './cli-config';
import { registerExportCommand } from './commands/export.command';
import { registerImportEventsCommand } from './commands/import-events.command';
import { registerImportCommand } from './commands/import.command';
import { registerProjectionCommands } from './commands/projections.commands';
import { registerQueryCommands } from './commands/query.commands';
import { registerFindCommands } from './commands/find.commands';
import { registerWatchCommand } from './commands/watch.command';
import { registerIntakeCommand } from './commands/intake.command';

const GLOBAL_HELP = `
Environment (as for the service):
  DATA_DIR                      folder of events.db and views.db (default ./data)
  EVENT_STORE                   sqlite (default), postgres, or eventstoredb / kurrentdb
  DATABASE_URL                  e.g. postgres://user:pass@localhost:5432/positions
  DATABASE_SCHEMA               the record's schema in that database (default positions)
  EVENTSTORE_CONNECTION_STRING  e.g. kurrentdb://localhost:2113?tls=false
  Every command also works while the service runs on the same DATA_DIR.

Output: tables for people; --json and export print data alone on stdout.
Progress bars, summaries and problems go to stderr.

Exit codes:
  0  done
  1  invalid input (a file's rows, an unknown actor or topic); nothing was written
  2  usage error (unknown command or option, malformed argument, bad environment)
  3  the work could not be done (store unavailable; the message says what was written)

Examples:
  $ positions import samples/sanctions-2025-02-26.json
  $ positions import statements.csv --skip-invalid
  $ positions position donald-trump russia-sanctions-relief --at 2025-02-26
  $ positions timeline russian-government russia-sanctions-relief --json
  $ positions landscape russia-sanctions-relief --at 2025-02-26
  $ positions export --out record.ndjson
  $ DATA_DIR=./copy positions import-events record.ndjson
  $ positions projections list
  $ positions projections rebuild statements
  $ positions watch --actor donald-trump --json
  $ positions intake article.txt --published-on 2025-02-26 --accept-all-above 0.9
`;

/** The `positions` command line: one program, a command per use case, each a thin shell over the shared libraries. */
export function buildProgram(): Command {
  const program = new Command('positions')
    .description('The record of what political actors said about policy questions: import, export, query and maintain it from a shell.')
    .version(packageVersion(), '-V, --version')
    .option('--data-dir <dir>', 'folder of the embedded store (overrides DATA_DIR)')
    .option('--verbose', 'also log what the application does (stderr)')
    // Before the commands are added: they inherit these settings.
    .exitOverride()
    .configureOutput({ writeOut: (text) => process.stdout.write(text), writeErr: (text) => process.stderr.write(text) })
    .showHelpAfterError('(positions --help lists the commands and options)')
    .addHelpText('after', GLOBAL_HELP);
  const config = () => loadCliConfig(program.opts<GlobalOptions>());
  registerImportCommand(program, config);
  registerExportCommand(program, config);
  registerImportEventsCommand(program, config);
  registerQueryCommands(program, config);
  registerFindCommands(program, config);
  registerProjectionCommands(program, config);
  registerWatchCommand(program, config);
  registerIntakeCommand(program, config);
  return program;
}

/** The version in package.json, found upwards from this file (it runs from src/ in tests and from dist/ once built). */
function packageVersion(from = __dirname): string {
  const file = join(from, 'package.json');
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
  return dirname(from) === from ? '0.0.0' : packageVersion(dirname(from));
}
