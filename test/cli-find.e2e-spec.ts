import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, type CliRun, ROOT, runCli, SAMPLE, tempDir } from './support/cli-harness';
import { BUILD_AND_START_MS, PROCESS_TEST_MS } from './support/timeouts';

/* `positions search` and `positions panel` (CSV and Parquet, read back with hyparquet as pandas or arrow would read it). */

jest.setTimeout(PROCESS_TEST_MS);

const TOPIC = 'russia-sanctions-relief';

/** The rows of a Parquet file as hyparquet (ESM) reads them, in a node process of its own. */
function readParquet(file: string): Record<string, unknown>[] {
  const script = `import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(process.argv[1]) });
    process.stdout.write(JSON.stringify(rows));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, file], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, unknown>[];
}

describe('positions search and positions panel', () => {
  let main: string;
  let dataDir: string;
  const positions = (...args: string[]): Promise<CliRun> => runCli(main, args, { dataDir });

  beforeAll(async () => {
    main = await buildCli();
    dataDir = tempDir();
    expect((await positions('import', SAMPLE)).code).toBe(0);
  }, BUILD_AND_START_MS);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finds statements by words, accents and case ignored, with filters, as text or JSON', async () => {
    const json = await positions('search', 'MOSCÓW', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).statements.map((s: { actorId: string }) => s.actorId)).toEqual(['valdis-dombrovskis']);
    const plans = await positions('search', 'no plans', '--topic', TOPIC, '--json');
    expect(JSON.parse(plans.stdout).statements.map((s: { actorId: string }) => s.actorId)).toEqual(['valdis-dombrovskis']);
    const text = await positions('search', 'sanctions', '--actor', 'donald-trump', '--from', '2025-02-20', '--to', '2025-02-28');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('donald-trump');
    expect(text.stdout).not.toContain('marco-rubio');
    const bad = await positions('search', '"unbalanced');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('q');
  });

  it('writes a panel as CSV and as Parquet with the same rows', async () => {
    const csvFile = join(dataDir, 'panel.csv');
    const parquetFile = join(dataDir, 'panel.parquet');
    const range = ['--from', '2025-01-01', '--to', '2025-03-31', '--step', 'month'];
    expect((await positions('panel', TOPIC, ...range, '--out', csvFile)).code).toBe(0);
    const csv = await positions('panel', TOPIC, ...range, '--format', 'parquet', '--out', parquetFile);
    expect(csv).toMatchObject({ code: 0 });
    expect(csv.stderr).toContain('wrote 15 rows');
    const [header, ...lines] = readFileSync(csvFile, 'utf8').trimEnd().split('\r\n');
    expect(header).toBe('actorId,period,stance,score,certainty,statementId');
    const fromCsv = lines.map((line) => {
      const [actorId, period, stance, score, certainty, statementId] = line.split(',');
      return { actorId, period, stance: stance || null, score: score === '' ? null : Number(score), certainty: certainty || null, statementId: statementId || null };
    });
    expect(fromCsv).toHaveLength(15);
    expect(fromCsv.find((r) => r.actorId === 'marco-rubio' && r.period === '2025-02')).toMatchObject({ stance: 'concessions-needed', score: 1, certainty: 'certain' });
    const fromParquet = readParquet(parquetFile).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === undefined ? null : v])));
    expect(fromParquet).toEqual(fromCsv);
  });

  it('refuses a bad step or format as a usage error', async () => {
    expect((await positions('panel', TOPIC, '--from', '2025-01-01', '--to', '2025-03-31', '--step', 'quarter', '--out', join(dataDir, 'x.csv'))).code).not.toBe(0);
    expect((await positions('panel', TOPIC, '--from', '2025-01-01', '--to', '2025-03-31', '--format', 'xlsx', '--out', join(dataDir, 'x.csv'))).code).not.toBe(0);
  });
});
