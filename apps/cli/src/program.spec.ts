import { CommanderError } from 'commander';
import { CliError } from './cli-errors';
import { buildProgram } from './program';

/*
 * `positions --help` and usage errors answer without starting the application: Nest, the
 * application layer, the projections, the store drivers and the importer's validators are loaded
 * only once a command runs. Each is replaced by itself plus a note that it was loaded.
 */
const mockLoaded = new Set<string>();
const mockHeavy = (name: string): unknown => {
  mockLoaded.add(name);
  return jest.requireActual(name);
};
jest.mock('@nestjs/core', () => mockHeavy('@nestjs/core'));
jest.mock('@nestjs/cqrs', () => mockHeavy('@nestjs/cqrs'));
jest.mock('@positions/application', () => mockHeavy('@positions/application'));
jest.mock('@positions/application/read', () => mockHeavy('@positions/application/read'));
jest.mock('@positions/application/statement-shape', () => mockHeavy('@positions/application/statement-shape'));
jest.mock('@positions/projections', () => mockHeavy('@positions/projections'));
jest.mock('better-sqlite3', () => mockHeavy('better-sqlite3'));
jest.mock('@kurrent/kurrentdb-client', () => mockHeavy('@kurrent/kurrentdb-client'));
jest.mock('class-validator', () => mockHeavy('class-validator'));
jest.mock('validator/lib/isURL', () => mockHeavy('validator/lib/isURL'));

/** Parses ARGS as `positions ARGS` would; what it printed, and how commander ended. */
async function parse(...args: string[]): Promise<{ out: string; err: string; exitCode: number | undefined }> {
  let out = '';
  let err = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((text) => ((out += String(text)), true));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((text) => ((err += String(text)), true));
  try {
    await buildProgram().parseAsync(['node', 'positions', ...args]);
    return { out, err, exitCode: undefined };
  } catch (error) {
    if (error instanceof CliError) return { out, err: `error: ${error.message}`, exitCode: error.exitCode };
    if (!(error instanceof CommanderError)) throw error;
    return { out, err, exitCode: error.exitCode };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('positions --help and usage errors', () => {
  it.each([[['--help']], [['import', '--help']], [['position', '--help']], [['projections', 'rebuild', '--help']]])('%j prints the help without loading the application', async (args) => {
    const run = await parse(...args);
    expect(run.exitCode).toBe(0);
    expect(run.out).toContain('Usage: positions');
    expect([...mockLoaded]).toEqual([]);
  });

  it.each([[['bogus']], [['position', 'Donald Trump', 'russia-sanctions-relief']], [['import', 'statements.txt']]])('%j is a usage error found without loading the application', async (args) => {
    const run = await parse(...args);
    // main.ts turns commander's non-zero exit into exit code 2.
    expect(run.err).toMatch(/error/);
    expect(run.exitCode).toBeGreaterThan(0);
    expect([...mockLoaded]).toEqual([]);
  });

  // Last: these load the application on purpose.
  it("the watch help names the application's message types", async () => {
    const { MESSAGE_TYPES } = await import('@positions/application');
    const { WATCH_TYPES } = await import('./commands/watch.command');
    expect(WATCH_TYPES).toEqual(MESSAGE_TYPES);
    const help = (await parse('watch', '--help')).out.replace(/\s+/g, ' ');
    expect(help).toContain(MESSAGE_TYPES.join(', '));
  });

  it("the import help names the importer's CSV columns, in order", async () => {
    const { CSV_COLUMNS } = await import('./import/csv-statements');
    expect((await parse('import', '--help')).out).toContain(CSV_COLUMNS.join(','));
    // The recorder works: loading the importer is seen.
    expect(mockLoaded).toContain('@positions/application/statement-shape');
    expect(mockLoaded).toContain('validator/lib/isURL');
  });
});
