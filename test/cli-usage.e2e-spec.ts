import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, type CliRun, runCli, SAMPLE, tempDir } from './support/cli-harness';
import { BUILD_AND_START_MS, PROCESS_TEST_MS } from './support/timeouts';

jest.setTimeout(PROCESS_TEST_MS);

describe('positions: help, usage errors, projections', () => {
  let main: string;
  let dataDir: string;
  const positions = (...args: string[]): Promise<CliRun> => runCli(main, args, { dataDir });

  beforeAll(async () => {
    main = await buildCli();
    dataDir = tempDir();
    expect((await positions('import', SAMPLE)).code).toBe(0);
  }, BUILD_AND_START_MS);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('--help lists every command, with examples, the environment and the exit codes', async () => {
    const run = await positions('--help');
    expect(run.code).toBe(0);
    for (const command of ['import', 'export', 'import-events', 'position', 'timeline', 'landscape', 'projections']) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('EVENTSTORE_CONNECTION_STRING');
    expect(run.stdout).toMatch(/^ {2}2 {2}usage error/m);
    const sub = await positions('projections', '--help');
    expect(sub.stdout).toMatch(/^ {2}list /m);
    expect(sub.stdout).toMatch(/^ {2}rebuild /m);
    expect((await positions('import', '--help')).stdout).toContain('--skip-invalid');
  });

  it('--help loads neither Nest, the application, the store nor its drivers; a query loads its read side alone', async () => {
    const env = { NODE_OPTIONS: `--require ${join(__dirname, 'support', 'heavy-modules.js')}` };
    const help = await runCli(main, ['--help'], { dataDir, env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: positions');
    expect(help.stderr).not.toContain('heavy modules loaded');
    const query = await runCli(main, ['position', 'nobody', 'russia-sanctions-relief'], { dataDir, env });
    expect(query.stderr).toMatch(/heavy modules loaded: .*@nestjs\/core/);
    expect(query.stderr).toMatch(/heavy modules loaded: .*libs\/application\/src\/read/);
    // Neither the commands, the importer's validators nor the whole application: the cost of every start.
    expect(query.stderr).not.toMatch(/class-validator|libs\/application\/src\/index/);
    const write = await runCli(main, ['import', join(dataDir, 'nothing.json')], { dataDir, env });
    expect(write.stderr).toMatch(/heavy modules loaded: .*libs\/application\/src\/index/);
  });

  it.each([
    [['bogus'], "unknown command 'bogus'"],
    [['position', 'donald-trump'], "missing required argument 'topic'"],
    [['position', 'donald-trump', 'russia-sanctions-relief', '--at', '2025-02-30'], "'2025-02-30' is invalid"],
    [['position', 'Donald Trump', 'russia-sanctions-relief'], 'must be an id'],
    [['landscape', 'russia-sanctions-relief', '--color'], "unknown option '--color'"],
    [['import', 'statements.txt'], 'add --format csv or --format json'],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const run = await positions(...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('exits 2 when the environment names an unknown store or lacks the server address, 3 when KurrentDB or PostgreSQL is unreachable', async () => {
    const odd = await runCli(main, ['projections', 'list'], { dataDir, env: { EVENT_STORE: 'mysql' } });
    expect(odd).toMatchObject({ code: 2, stdout: '' });
    expect(odd.stderr).toContain('EVENT_STORE must be one of');
    const kurrent = await runCli(main, ['projections', 'list'], { dataDir, env: { EVENT_STORE: 'kurrentdb' } });
    expect(kurrent.code).toBe(2);
    expect(kurrent.stderr).toContain('EVENTSTORE_CONNECTION_STRING');
    const unreachable = await runCli(main, ['projections', 'list'], { dataDir, env: { EVENT_STORE: 'kurrentdb', EVENTSTORE_CONNECTION_STRING: 'kurrentdb://127.0.0.1:1?tls=false' } });
    expect(unreachable).toMatchObject({ code: 3, stdout: '' });
    expect(unreachable.stderr).toContain('the store is unavailable');
    const postgres = await runCli(main, ['projections', 'list'], { dataDir, env: { EVENT_STORE: 'postgres' } });
    expect(postgres.code).toBe(2);
    expect(postgres.stderr).toContain('DATABASE_URL');
    const postgresDown = await runCli(main, ['projections', 'list'], { dataDir, env: { EVENT_STORE: 'postgres', DATABASE_URL: 'postgres://positions:s3cret@127.0.0.1:1/positions' } });
    expect(postgresDown).toMatchObject({ code: 3, stdout: '' });
    expect(postgresDown.stderr).toContain('the store is unavailable');
    expect(postgresDown.stderr).not.toContain('s3cret');
  });

  it('exits 1 naming the field when a query names nothing', async () => {
    const run = await positions('position', 'nobody', 'russia-sanctions-relief', '--json');
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toContain("actorId: no actor is registered as 'nobody'");
  });

  it('prints tables for people and JSON alone on stdout for scripts', async () => {
    const table = await positions('landscape', 'russia-sanctions-relief', '--at', '2025-02-26');
    expect(table.stdout).toMatch(/^donald-trump +not-yet \(0\) +certain +2025-02-26/m);
    for (const args of [['landscape', 'russia-sanctions-relief'], ['timeline', 'marco-rubio', 'russia-sanctions-relief'], ['projections', 'list']]) {
      const run = await positions(...args, '--json');
      expect(run.code).toBe(0);
      expect(run.stdout.endsWith('\n')).toBe(true);
      expect(() => JSON.parse(run.stdout)).not.toThrow();
    }
  });

  it('lists the projections and rebuilds one until it answers again', async () => {
    const list = JSON.parse((await positions('projections', 'list', '--json')).stdout);
    expect(list.map((p: { name: string }) => p.name)).toContain('statements');
    const before = list.find((p: { name: string }) => p.name === 'statements');
    const run = await positions('projections', 'rebuild', 'statements', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: 'statements', status: 'live', position: before.position, rebuild: null });
    expect(run.stderr).toContain('view statements rebuilt');
    const answer = JSON.parse((await positions('position', 'donald-trump', 'russia-sanctions-relief', '--at', '2025-02-26', '--json')).stdout);
    expect(answer.stance.code).toBe('not-yet');
    const unknown = await positions('projections', 'rebuild', 'nothing');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no projection is named 'nothing'");
  });
});
