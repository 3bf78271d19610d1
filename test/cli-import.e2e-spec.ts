import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startService } from './support/app-harness';
import { buildCli, type CliRun, lines, runCli, SAMPLE, SAMPLE_CSV, tempDir } from './support/cli-harness';
import { BUILD_AND_START_MS, PROCESS_TEST_MS } from './support/timeouts';

jest.setTimeout(PROCESS_TEST_MS);

const HEADER = 'actorId,topicId,stance,statedOn,summary,quote,sourceUrl,sourceTitle,publisher,publishedOn,onBehalfOf';

// Each test spawns the CLI several times: on a busy machine a spawn alone can take seconds.
jest.setTimeout(180_000);

describe('positions import', () => {
  let main: string;
  const dirs: string[] = [];
  const store = () => {
    const dir = tempDir();
    dirs.push(dir);
    return dir;
  };
  const positions = (dataDir: string, ...args: string[]): Promise<CliRun> => runCli(main, args, { dataDir });
  const eventCount = async (dataDir: string) => lines((await positions(dataDir, 'export')).stdout).length;
  const csv = (dir: string, ...rows: string[]) => {
    const file = join(dir, 'statements.csv');
    writeFileSync(file, [HEADER, ...rows].join('\r\n') + '\r\n');
    return file;
  };

  beforeAll(async () => {
    main = await buildCli();
  }, BUILD_AND_START_MS);
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  describe('the sample data set', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = store();
      const run = await positions(dataDir, 'import', SAMPLE);
      expect(run).toMatchObject({ code: 0, stdout: '' });
      expect(run.stderr).toContain('20 written');
    });

    const position = async (actor: string, at: string) => {
      const run = await positions(dataDir, 'position', actor, 'russia-sanctions-relief', '--at', at, '--json');
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout);
    };

    it('answers that Trump on 2025-02-26 is not-yet, Dombrovskis on 2025-02-19 has none, the EU on 2025-02-25 is tighten', async () => {
      expect((await position('donald-trump', '2025-02-26')).stance).toEqual({ code: 'not-yet', label: 'Nothing lifted for now; may be lifted at some point', score: 0 });
      expect(await position('valdis-dombrovskis', '2025-02-19')).toMatchObject({ stance: null, since: null, statement: null });
      expect(await position('european-union', '2025-02-25')).toMatchObject({ stance: { code: 'tighten' }, since: '2025-02-24/2025-02-25' });
    });

    it('prints the very JSON the API answers', async () => {
      const queries = [
        ['position', 'donald-trump', 'russia-sanctions-relief', '--at', '2025-02-26', '--known-at', '2030-01-01'],
        ['timeline', 'russian-government', 'russia-sanctions-effect', '--known-at', '2030-01-01'],
        ['landscape', 'russia-sanctions-relief', '--at', '2025-02-21', '--known-at', '2030-01-01'],
      ];
      const urls = [
        '/api/actors/donald-trump/positions/russia-sanctions-relief?at=2025-02-26&knownAt=2030-01-01',
        '/api/actors/russian-government/positions/russia-sanctions-effect/timeline?knownAt=2030-01-01',
        '/api/topics/russia-sanctions-relief/positions?at=2025-02-21&knownAt=2030-01-01',
      ];
      const printed = await Promise.all(queries.map((q) => positions(dataDir, ...q, '--json')));
      const service = await startService({ dataDir });
      try {
        for (const [i, url] of urls.entries()) expect(printed[i].stdout).toBe(`${JSON.stringify((await service.get(url)).body)}\n`);
      } finally {
        await service.stop();
      }
    });

    it('writes nothing when the same file, or the same statements as CSV, are imported again', async () => {
      const before = await eventCount(dataDir);
      const again = await positions(dataDir, 'import', SAMPLE);
      expect(again.code).toBe(0);
      expect(again.stderr).toContain('0 written, 20 already recorded');
      const asCsv = await positions(dataDir, 'import', SAMPLE_CSV);
      expect(asCsv.stderr).toContain('0 written, 7 already recorded');
      expect(await eventCount(dataDir)).toBe(before);
    });
  });

  it('names the line and path of every bad entry of a data set, and writes nothing', async () => {
    const dataDir = store();
    const file = join(dataDir, 'set.json');
    writeFileSync(file, [
      '{"actors": [',
      '  {"id": "ok-actor", "name": "Ok", "kind": "person"},',
      '  {"id": "odd-actor", "name": "Odd", "kind": "robot"}],',
      ' "topics": [{"id": "t", "title": "T", "proposition": "P", "stances": [{"code": "yes", "label": "Yes", "score": 1}]}],',
      ' "statements": [',
      '  {"actorId": "ok-actor", "topicId": "t", "stance": "no", "summary": "S", "statedOn": "2025-01-01", "source": {"title": "T"}},',
      '  {"actorId": "ok-actor", "topicId": "t", "stance": "yes", "summary": "S", "statedOn": "2025-01-01", "source": {"title": "T", "page": 3}}]}',
    ].join('\n'));
    const run = await positions(dataDir, 'import', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:3: actors[1].kind: kind must be one of person, government, organization`);
    expect(run.stderr).toContain(`${file}:6: statements[0].stance: 'no' is not a stance in the codebook of 't'`);
    expect(run.stderr).toContain(`${file}:7: statements[1].source.page: is not a field of this entry`);
    expect(await eventCount(dataDir)).toBe(0);
  });

  it('imports into the folder a running service uses, which then answers from it', async () => {
    const dataDir = store();
    const service = await startService({ dataDir });
    try {
      const run = await positions(dataDir, 'import', SAMPLE);
      expect(run.code).toBe(0);
      // The service follows other processes' appends by polling the log (every second).
      let answer = await service.get('/api/actors/donald-trump/positions/russia-sanctions-relief?at=2025-02-26');
      // Until it has read the statements too (it may first see the actors and topics alone).
      for (let i = 0; i < 50 && !(answer.status === 200 && answer.body.stance); i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        answer = await service.get('/api/actors/donald-trump/positions/russia-sanctions-relief?at=2025-02-26');
      }
      expect(answer.body.stance.code).toBe('not-yet');
      const cli = await positions(dataDir, 'position', 'donald-trump', 'russia-sanctions-relief', '--at', '2025-02-26', '--json');
      expect(JSON.parse(cli.stdout).statement).toEqual(answer.body.statement);
    } finally {
      await service.stop();
    }
  });

  describe('a CSV of statements', () => {
    let dataDir: string;
    beforeEach(async () => {
      dataDir = store();
      // Actors, affiliations and topics of the sample, no statements.
      const setup = join(dataDir, 'setup.json');
      writeFileSync(setup, JSON.stringify({ ...JSON.parse(readFileSync(SAMPLE, 'utf8')), statements: [] }));
      expect((await positions(dataDir, 'import', setup)).code).toBe(0);
    });

    const good = 'donald-trump,russia-sanctions-relief,not-yet,2025-03-01,"Still nothing lifted, he said","Line one\nline two, with ""quotes""",https://example.org/a,,Example News,2025-03-02,us-government';
    const bad = 'marco-rubio,russia-sanctions-relief,maybe,2025-03-01,Summary,,https://example.org/b,,,,';

    it('with a bad row writes nothing and names the file, line and field (exit 1)', async () => {
      const file = csv(dataDir, good, bad);
      const before = await eventCount(dataDir);
      const run = await positions(dataDir, 'import', file);
      expect(run.code).toBe(1);
      // The good row spans lines 2 and 3: the bad one starts on line 4.
      expect(run.stderr).toContain(`${file}:4: stance: 'maybe' is not a stance in the codebook of 'russia-sanctions-relief'`);
      expect(run.stderr).toContain('nothing was written');
      expect(await eventCount(dataDir)).toBe(before);
    });

    it('reports every bad row at once, by column', async () => {
      const file = csv(dataDir, 'nobody,russia-sanctions-relief,not-yet,2025-03-01,S,,,T,,,', 'donald-trump,russia-sanctions-relief,not-yet,2999-01-01,S,,ftp://x,,,2025-02-30,', 'marco-rubio,russia-sanctions-relief,not-yet,2025-03-01,S,,,T,,,european-union', 'too,few,fields', 'donald-trump,russia-sanctions-relief,not-yet,2025-03-01,"S"x,,,T,,,');
      const run = await positions(dataDir, 'import', file);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${file}:2: actorId: no actor is registered as 'nobody'`);
      expect(run.stderr).toContain(`${file}:3: sourceUrl: must be an http or https URL`);
      expect(run.stderr).toContain(`${file}:3: publishedOn: must be a date`);
      expect(run.stderr).toContain(`${file}:4: onBehalfOf: 'marco-rubio' has no affiliation with 'european-union'`);
      expect(run.stderr).toContain(`${file}:5: (row): has 3 fields, the header 11`);
      expect(run.stderr).toContain(`${file}:6: (row): text after the closing quote of a field`);
    });

    it('with --skip-invalid writes the good rows and reports the rest', async () => {
      const file = csv(dataDir, good, bad);
      const run = await positions(dataDir, 'import', file, '--skip-invalid', '--json');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ written: 1, invalid: 1, problems: [{ line: 4, field: 'stance' }] });
      expect(run.stderr).toContain(`${file}:4: stance:`);
      const timeline = JSON.parse((await positions(dataDir, 'timeline', 'donald-trump', 'russia-sanctions-relief', '--json')).stdout);
      expect(timeline.entries).toHaveLength(1);
      const position = JSON.parse((await positions(dataDir, 'position', 'donald-trump', 'russia-sanctions-relief', '--json')).stdout);
      expect(position.statement).toMatchObject({ quote: 'Line one\nline two, with "quotes"', source: { url: 'https://example.org/a', publisher: 'Example News', publishedOn: '2025-03-02' } });
    });

    it('records the statements as cli:{user}, and a second import of the file writes nothing', async () => {
      const file = csv(dataDir, good);
      expect((await positions(dataDir, 'import', file)).code).toBe(0);
      const events = lines((await positions(dataDir, 'export')).stdout).map((l) => JSON.parse(l));
      expect(events[events.length - 1]).toMatchObject({ type: 'PositionStated', recordedBy: expect.stringMatching(/^cli:.+/) });
      const again = await positions(dataDir, 'import', file);
      expect(again.stderr).toContain('0 written, 1 already recorded');
      expect(lines((await positions(dataDir, 'export')).stdout)).toHaveLength(events.length);
    });

    it('refuses an empty file, writing nothing (exit 1)', async () => {
      const file = join(dataDir, 'empty.csv');
      writeFileSync(file, '');
      const before = await eventCount(dataDir);
      const run = await positions(dataDir, 'import', file);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${file}:1: (header): the file is empty`);
      expect(await eventCount(dataDir)).toBe(before);
    });

    it('refuses a header with an unknown column before reading any row', async () => {
      const file = join(dataDir, 'odd.csv');
      writeFileSync(file, 'actorId,topicId,stance,statedOn,summary,sourceTitle,mood\n');
      const run = await positions(dataDir, 'import', file);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${file}:1: mood: is not a column`);
    });
  });
});
