import Database from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, type CliRun, lines, runCli, SAMPLE, tempDir } from './support/cli-harness';
import { BUILD_AND_START_MS, PROCESS_TEST_MS } from './support/timeouts';

jest.setTimeout(PROCESS_TEST_MS);

const HEADER = 'actorId,topicId,stance,statedOn,summary,quote,sourceUrl,sourceTitle,publisher,publishedOn,onBehalfOf';
const ACTORS = ['donald-trump', 'european-union', 'marco-rubio', 'valdis-dombrovskis', 'vladimir-putin', 'russian-government', 'us-government'];
const TOPICS: Record<string, string[]> = {
  'russia-sanctions-relief': ['lift-unconditionally', 'concessions-needed', 'not-yet', 'no-lifting', 'tighten'],
  'russia-sanctions-effect': ['crippling', 'some-effect', 'no-effect', 'backfired', 'strengthened'],
};
const ROWS = 1205;

/** Row i of a CSV spread over every actor and topic of the sample, a few statements per actor–topic stream. */
function row(i: number): string {
  const topic = Object.keys(TOPICS)[i % 2];
  const stances = TOPICS[topic];
  const day = String(1 + (i % 28)).padStart(2, '0');
  return [ACTORS[i % ACTORS.length], topic, stances[i % stances.length], `2024-0${1 + (i % 9)}-${day}`, `"Statement ${i}, in a batch"`, `"Quote ""${i}"""`, `https://example.org/${i}`, '', 'Example News', '', ''].join(',');
}

/** The views' checkpoints (positions and generations) and the log's last position, read from the files as the import left them. */
function viewsAndLog(dataDir: string): { views: number[]; generations: number[]; log: number } {
  const views = new Database(join(dataDir, 'views.db'), { readonly: true });
  const events = new Database(join(dataDir, 'events.db'), { readonly: true });
  try {
    return {
      views: views.prepare('SELECT position FROM projection_checkpoints').pluck().all() as number[],
      generations: views.prepare('SELECT generation FROM projection_checkpoints ORDER BY name').pluck().all() as number[],
      log: events.prepare('SELECT MAX(position) FROM events').pluck().get() as number,
    };
  } finally {
    views.close();
    events.close();
  }
}

// Each test spawns the CLI several times: on a busy machine a spawn alone can take seconds.
jest.setTimeout(180_000);

describe('positions import of a CSV in many batches, and import-events of a log in many batches', () => {
  let main: string;
  let dataDir: string;
  let copy: string;
  let file: string;
  const positions = (dir: string, ...args: string[]): Promise<CliRun> => runCli(main, args, { dataDir: dir });

  beforeAll(async () => {
    main = await buildCli();
    dataDir = tempDir();
    copy = tempDir();
    const setup = join(dataDir, 'setup.json');
    writeFileSync(setup, JSON.stringify({ ...JSON.parse(readFileSync(SAMPLE, 'utf8')), statements: [] }));
    expect((await positions(dataDir, 'import', setup)).code).toBe(0);
    file = join(dataDir, 'statements.csv');
    // Row 7 again at the end: the same statement twice in one file is one statement.
    writeFileSync(file, [HEADER, ...Array.from({ length: ROWS }, (_, i) => row(i)), row(7)].join('\n') + '\n');
  }, BUILD_AND_START_MS);
  afterAll(() => [dataDir, copy].forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('writes every new row, batch after batch, and leaves the views in step with the log, built anew in bulk (more rows than the log held)', async () => {
    const before = viewsAndLog(dataDir);
    const run = await positions(dataDir, 'import', file, '--batch-size', '100', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ read: ROWS + 1, written: ROWS, recorded: 1, invalid: 0, problems: [] });
    const { views, generations, log } = viewsAndLog(dataDir);
    expect(views.length).toBeGreaterThan(0);
    expect(views.every((position) => position === log)).toBe(true);
    expect(run.stderr).toMatch(/views: built anew in \d+\.\d s after the last row/);
    expect(generations).toEqual(before.generations.map((generation) => generation + 1));
  });

  it('finds the imported rows by the words of their summaries and quotes', async () => {
    const found = JSON.parse((await positions(dataDir, 'search', 'batch', '--limit', '200', '--json')).stdout);
    expect(found.statements).toHaveLength(200);
    expect(found.statements.every((hit: { summary: string }) => hit.summary.endsWith(', in a batch'))).toBe(true);
    const quoted = JSON.parse((await positions(dataDir, 'search', '1204', '--json')).stdout);
    expect(quoted.statements.map((hit: { summary: string }) => hit.summary)).toEqual(['Statement 1204, in a batch']);
  });

  it('answers from the imported rows, one statement per row', async () => {
    const timeline = JSON.parse((await positions(dataDir, 'timeline', 'donald-trump', 'russia-sanctions-relief', '--json')).stdout);
    const expected = Array.from({ length: ROWS }, (_, i) => i).filter((i) => i % ACTORS.length === 0 && i % 2 === 0);
    expect(timeline.entries).toHaveLength(expected.length);
    const summaries = new Set(timeline.entries.map((e: { summary: string }) => e.summary));
    expect(summaries).toEqual(new Set(expected.map((i) => `Statement ${i}, in a batch`)));
  });

  it('writes nothing when the file is imported again, and leaves the views as they are', async () => {
    const before = lines((await positions(dataDir, 'export')).stdout).length;
    const views = viewsAndLog(dataDir);
    const again = await positions(dataDir, 'import', file, '--batch-size', '100');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`0 written, ${ROWS + 1} already recorded`);
    expect(again.stderr).not.toContain('built anew');
    expect(lines((await positions(dataDir, 'export')).stdout)).toHaveLength(before);
    expect(viewsAndLog(dataDir)).toEqual(views);
  });

  it('reads a file many thousand rows long on a thread of its own: bad rows named by their lines, the good ones written', async () => {
    const fresh = tempDir();
    try {
      expect((await positions(fresh, 'import', join(dataDir, 'setup.json'))).code).toBe(0);
      const before = viewsAndLog(fresh).log;
      // Row k is on line k + 2. Bad rows near the start, in the middle and near the end of a file of six parts of the reader's thousand rows.
      const rows = Array.from({ length: 6000 }, (_, k) => row(ROWS + k));
      rows[3] = rows[3].replace(/^([^,]+,[^,]+,)[^,]+/, '$1maybe');
      rows[2500] = rows[2500].replace('"Statement', '"Statement"x');
      rows[5990] = 'too,few,fields';
      const many = join(fresh, 'many.csv');
      writeFileSync(many, [HEADER, ...rows].join('\n') + '\n');
      const refused = await positions(fresh, 'import', many);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`${many}:5: stance: 'maybe' is not a stance`);
      expect(refused.stderr).toContain(`${many}:2502: (row): text after the closing quote of a field`);
      expect(refused.stderr).toContain(`${many}:5992: (row): has 3 fields, the header 11`);
      expect(viewsAndLog(fresh).log).toBe(before);
      const run = await positions(fresh, 'import', many, '--skip-invalid', '--json');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ read: 6000, written: 5997, invalid: 3 });
      expect(viewsAndLog(fresh).log).toBe(before + 5997);
      const last = JSON.parse((await positions(fresh, 'search', `"Statement ${ROWS + 5999}"`, '--json')).stdout);
      expect(last.statements.map((hit: { summary: string }) => hit.summary)).toEqual([`Statement ${ROWS + 5999}, in a batch`]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('moves the log to a fresh store a thousand events at a time, byte for byte', async () => {
    const log = join(dataDir, 'record.ndjson');
    expect((await positions(dataDir, 'export', '--out', log)).code).toBe(0);
    const events = lines(readFileSync(log, 'utf8'));
    expect(events.length).toBeGreaterThan(1000);
    const run = await positions(copy, 'import-events', log);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`imported ${events.length.toLocaleString('en')} events`);
    expect((await positions(copy, 'export')).stdout).toBe(readFileSync(log, 'utf8'));
  });

  it('refuses to load the log again into the store that now holds it, writing nothing (exit 1)', async () => {
    const run = await positions(copy, 'import-events', join(dataDir, 'record.ndjson'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('import-events loads only into an empty store; nothing was written');
  });
});
