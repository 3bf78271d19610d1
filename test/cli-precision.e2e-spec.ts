import { type PositionEvent, positionAt, type Recorded } from '@positions/domain';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, type CliRun, lines, runCli, SAMPLE, tempDir } from './support/cli-harness';

/*
 * Statements dated as the sources give them, through the command line: imported from a data set
 * and a CSV (with a statedOnWording column), refused by file, line and field, carried unchanged by
 * export and import-events, and shown in the tables.
 */

const TOPIC = 'russia-sanctions-relief';
const HEADER = 'actorId,topicId,stance,statedOn,statedOnWording,summary,sourceTitle';
const SCORES: Record<string, number> = { 'lift-unconditionally': 2, 'concessions-needed': 1, 'not-yet': 0, 'no-lifting': -1, tighten: -2 };

/** Test statements (made up), dated as a report would date them. */
const STATEMENTS = [
  { actorId: 'marco-rubio', stance: 'concessions-needed', statedOn: '2025-02-17/2025-02-23', statedOnWording: 'last week' },
  { actorId: 'marco-rubio', stance: 'not-yet', statedOn: '2025-02-20~' },
  { actorId: 'donald-trump', stance: 'not-yet', statedOn: '2025-02', statedOnWording: 'in February' },
  { actorId: 'donald-trump', stance: 'tighten', statedOn: '2025-03-01/2025-03-03', statedOnWording: 'early in March' },
  { actorId: 'valdis-dombrovskis', stance: 'no-lifting', statedOn: '2025-02-17/2025-02-23', statedOnWording: 'last week' },
].map((s, i) => ({ ...s, topicId: TOPIC, summary: `Test statement ${i}`, source: { title: 'Test report' } }));

const AT = ['2025-02-16', '2025-02-17', '2025-02-19', '2025-02-20', '2025-02-22', '2025-02-23', '2025-02-28', '2025-03-02', '2025-03-03', '2025-03-10'];

// Each test spawns the CLI several times: on a busy machine a spawn alone can take seconds.
jest.setTimeout(180_000);

describe('positions import, export and tables: dates as the sources give them', () => {
  let main: string;
  const dirs: string[] = [];
  const store = () => {
    const dir = tempDir();
    dirs.push(dir);
    return dir;
  };
  const positions = (dataDir: string, ...args: string[]): Promise<CliRun> => runCli(main, args, { dataDir });
  const exported = async (dataDir: string) => (await positions(dataDir, 'export')).stdout;

  /** A store with the sample's actors and topics, and no statements. */
  async function setUp(): Promise<string> {
    const dataDir = store();
    const setup = join(dataDir, 'setup.json');
    writeFileSync(setup, JSON.stringify({ ...JSON.parse(readFileSync(SAMPLE, 'utf8')), statements: [] }));
    expect((await positions(dataDir, 'import', setup)).code).toBe(0);
    return dataDir;
  }

  beforeAll(async () => {
    main = await buildCli();
  }, 180_000);
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('refuses a data set entry with a date in no accepted form, or a wording too long, by line and path, and writes nothing', async () => {
    const dataDir = await setUp();
    const before = await exported(dataDir);
    const file = join(dataDir, 'set.json');
    const entry = (extra: object) => JSON.stringify({ ...STATEMENTS[0], ...extra });
    writeFileSync(file, ['{"statements": [', `  ${entry({})},`, `  ${entry({ statedOn: '2025-02-20/2025-02-10' })},`, `  ${entry({ statedOn: '2025-02-17/..' })},`, `  ${entry({ statedOnWording: 'x'.repeat(201) })},`, `  ${entry({ statedOnWording: 42 })}]}`].join('\n'));
    const run = await positions(dataDir, 'import', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:3: statements[1].statedOn: must be a day (2025-02-18)`);
    expect(run.stderr).toContain(`${file}:4: statements[2].statedOn: must be a day (2025-02-18)`);
    expect(run.stderr).toContain(`${file}:5: statements[3].statedOnWording: must be a non-blank text of at most 200 characters`);
    expect(run.stderr).toContain(`${file}:6: statements[4].statedOnWording: must be a string`);
    expect(await exported(dataDir)).toBe(before);
  });

  it('refuses a CSV row dated after the moment of recording, or in no accepted form, by line and column, and writes nothing', async () => {
    const dataDir = await setUp();
    const before = await exported(dataDir);
    const file = join(dataDir, 'statements.csv');
    writeFileSync(file, [HEADER, 'marco-rubio,russia-sanctions-relief,not-yet,2025-02-17/2025-02-23,last week,S,T', 'marco-rubio,russia-sanctions-relief,not-yet,2999-01/2999-02,,S,T', 'marco-rubio,russia-sanctions-relief,not-yet,2025-13,,S,T'].join('\n') + '\n');
    const run = await positions(dataDir, 'import', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:3: statedOn: statedOn 2999-01/2999-02 is later than the moment of recording`);
    expect(run.stderr).toContain(`${file}:4: statedOn: must be a day (2025-02-18)`);
    expect(await exported(dataDir)).toBe(before);
  });

  describe('a store of imprecise statements', () => {
    let source: string;
    let copy: string;
    let log: string;

    beforeAll(async () => {
      source = await setUp();
      const set = join(source, 'set.json');
      writeFileSync(set, JSON.stringify({ statements: STATEMENTS.slice(0, 3) }, null, 1));
      expect((await positions(source, 'import', set)).code).toBe(0);
      const csv = join(source, 'more.csv');
      const row = (s: (typeof STATEMENTS)[number]) => [s.actorId, s.topicId, s.stance, s.statedOn, s.statedOnWording ?? '', s.summary, s.source.title].join(',');
      writeFileSync(csv, [HEADER, ...STATEMENTS.slice(3).map(row)].join('\r\n') + '\r\n');
      const imported = await positions(source, 'import', csv);
      expect(imported.stderr).toContain('2 written');
      log = join(source, 'record.ndjson');
      expect((await positions(source, 'export', '--out', log)).code).toBe(0);
      copy = store();
      expect((await positions(copy, 'import-events', log)).code).toBe(0);
    }, 180_000);

    it('records each statedOn and wording as given', () => {
      const stated = lines(readFileSync(log, 'utf8'))
        .map((l) => JSON.parse(l))
        .filter((e) => e.type === 'PositionStated')
        .map((e) => [e.data.statedOn, e.data.statedOnWording]);
      expect(stated).toEqual(STATEMENTS.map((s) => [s.statedOn, s.statedOnWording]));
    });

    it('export and import-events carry them unchanged: the same bytes, the same answers of the reference fold at every (at, knownAt)', async () => {
      const copied = await exported(copy);
      expect(copied).toBe(readFileSync(log, 'utf8'));
      const fold = (ndjson: string) => {
        const events = lines(ndjson).map((l) => JSON.parse(l));
        const knownAts = [...new Set(events.map((e) => e.recordedAt as string))].flatMap((r) => [new Date(Date.parse(r) - 1).toISOString(), r]);
        return ['marco-rubio', 'donald-trump', 'valdis-dombrovskis'].flatMap((actorId) => {
          const stream = events.filter((e) => e.streamId === `position-${actorId}.${TOPIC}`) as Recorded<PositionEvent>[];
          return AT.flatMap((at) => knownAts.map((knownAt) => positionAt(stream, at, knownAt, (code) => SCORES[code])));
        });
      };
      const [before, after] = [fold(readFileSync(log, 'utf8')), fold(copied)];
      expect(after).toEqual(before);
      // Not all alike, and not all certain: the ranges leave some answers open.
      expect(before.filter((a) => a.certainty === 'uncertain').length).toBeGreaterThan(5);
      expect(before.some((a) => a.statement?.statedOnWording === 'last week' && a.statement.earliest === '2025-02-17T00:00:00.000Z')).toBe(true);
    });

    it('answers the same --json from the copy, with certainty and alternatives', async () => {
      for (const query of [
        ['position', 'marco-rubio', TOPIC, '--at', '2025-02-19', '--known-at', '2030-01-01'],
        ['position', 'donald-trump', TOPIC, '--at', '2025-03-02', '--known-at', '2030-01-01'],
        ['timeline', 'donald-trump', TOPIC, '--known-at', '2030-01-01'],
        ['landscape', TOPIC, '--at', '2025-02-20', '--known-at', '2030-01-01'],
      ]) {
        const [a, b] = await Promise.all([positions(source, ...query, '--json'), positions(copy, ...query, '--json')]);
        expect(a.code).toBe(0);
        expect(b.stdout).toBe(a.stdout);
      }
      const rubio = JSON.parse((await positions(copy, 'position', 'marco-rubio', TOPIC, '--at', '2025-02-19', '--json')).stdout);
      expect(rubio).toMatchObject({ stance: null, certainty: 'uncertain', alternatives: [{ stance: { code: 'concessions-needed' } }] });
    });

    it('shows ranges, wordings and uncertainty in the tables', async () => {
      const trump = await positions(copy, 'position', 'donald-trump', TOPIC, '--at', '2025-03-02');
      expect(trump.stdout).toMatch(/stance\s+not-yet \(0\)/);
      expect(trump.stdout).toMatch(/certainty\s+uncertain: possibly tighten \(-2\)/);
      expect(trump.stdout).toContain('stated 2025-02 “in February” (2025-02-01 … 2025-02-28)');
      const timeline = await positions(copy, 'timeline', 'marco-rubio', TOPIC);
      // Timeline entries carry the range, not the wording (that is in the statement's own answer).
      expect(timeline.stdout).toMatch(/2025-02-17\/2025-02-23\s+concessions-needed \(\+1\)/);
      expect((await positions(copy, 'timeline', 'donald-trump', TOPIC)).stdout).toMatch(/2025-02 \(2025-02-01 … 2025-02-28\)\s+not-yet \(0\)/);
      expect(timeline.stdout).toMatch(/2025-02-20~\s+not-yet \(0\)/);
      const landscape = await positions(copy, 'landscape', TOPIC, '--at', '2025-02-28');
      expect(landscape.stdout).toMatch(/actor\s+stance\s+certainty\s+since\s+statement/);
      expect(landscape.stdout).toMatch(/donald-trump\s+not-yet \(0\)\s+certain\s+2025-02/);
    });
  });
});
