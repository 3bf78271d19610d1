import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startService, type TestService } from './support/app-harness';
import { buildCli, type CliRun, lines, runCli, SAMPLE, tempDir } from './support/cli-harness';

const ACTORS = ['donald-trump', 'european-union', 'marco-rubio', 'valdis-dombrovskis', 'russian-government'];
const TOPICS = ['russia-sanctions-relief', 'russia-sanctions-effect'];
const DATES = ['2025-02-19', '2025-02-21', '2025-02-26', '2025-03-10T12:00:00Z'];

// Each test spawns the CLI several times: on a busy machine a spawn alone can take seconds.
jest.setTimeout(180_000);

describe('positions export and import-events', () => {
  let main: string;
  let source: string;
  let copy: string;
  let log: string;
  const positions = (dataDir: string, ...args: string[]): Promise<CliRun> => runCli(main, args, { dataDir });

  /** Moments around every recordedAt of the log, where knownAt answers change. */
  const knownAts = () => {
    const recorded = [...new Set(lines(readFileSync(log, 'utf8')).map((l) => JSON.parse(l).recordedAt as string))];
    return [...recorded.flatMap((r) => [new Date(Date.parse(r) - 1).toISOString(), r]), '2030-01-01'];
  };

  beforeAll(async () => {
    main = await buildCli();
    source = tempDir();
    copy = tempDir();
    log = join(source, 'record.ndjson');
    expect((await positions(source, 'import', SAMPLE)).code).toBe(0);
    await amendThroughTheApi(source);
    const exported = await positions(source, 'export', '--out', log);
    expect(exported.code).toBe(0);
  }, 180_000);
  afterAll(() => [source, copy].forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('prints nothing but the log on stdout: one envelope per line, in global order', async () => {
    const run = await positions(source, 'export');
    expect(run.code).toBe(0);
    const events = lines(run.stdout).map((l) => JSON.parse(l));
    expect(events.length).toBeGreaterThan(20);
    expect(events.map((e) => e.position)).toEqual([...events.map((e) => e.position)].sort((a, b) => a - b));
    expect(Object.keys(events[0])).toEqual(['eventId', 'type', 'schemaVersion', 'streamId', 'streamPosition', 'position', 'recordedAt', 'recordedBy', 'correlationId', 'causationId', 'data']);
    expect(run.stdout).toBe(readFileSync(log, 'utf8'));
    expect(run.stderr).toContain(`exported ${events.length} events`);
  });

  describe('into a fresh store', () => {
    beforeAll(async () => {
      const run = await positions(copy, 'import-events', log);
      expect(run).toMatchObject({ code: 0, stdout: '' });
    }, 60_000);

    it('keeps every envelope: the copy exports the same bytes', async () => {
      expect((await positions(copy, 'export')).stdout).toBe(readFileSync(log, 'utf8'));
    });

    it('answers every position, timeline and landscape the same, at every knownAt (API)', async () => {
      const urls = [
        ...ACTORS.flatMap((a) => TOPICS.flatMap((t) => DATES.flatMap((at) => knownAts().map((k) => `/api/actors/${a}/positions/${t}?at=${at}&knownAt=${k}`)))),
        ...ACTORS.flatMap((a) => knownAts().map((k) => `/api/actors/${a}/positions/russia-sanctions-relief/timeline?knownAt=${k}`)),
        ...DATES.flatMap((at) => knownAts().map((k) => `/api/topics/russia-sanctions-relief/positions?at=${at}&knownAt=${k}`)),
      ];
      const [before, after] = [await answers(source, urls), await answers(copy, urls)];
      expect(after).toEqual(before);
      // Not all alike: the corrections and the retraction show at some knownAt and not at others.
      expect(new Set(before).size).toBeGreaterThan(urls.length / 10);
    }, 60_000);

    it('prints byte-identical --json answers from the command line', async () => {
      // Just before the last amendment, and before anything was recorded.
      const k = knownAts().slice(-3)[0];
      const queries = [
        ['position', 'donald-trump', 'russia-sanctions-relief', '--at', '2025-02-26', '--known-at', k],
        ['position', 'european-union', 'russia-sanctions-relief', '--at', '2025-03-10T12:00:00Z', '--known-at', '2030-01-01'],
        ['position', 'marco-rubio', 'russia-sanctions-relief', '--at', '2025-02-26', '--known-at', knownAts()[0]],
        ['timeline', 'marco-rubio', 'russia-sanctions-relief', '--known-at', '2030-01-01'],
        ['landscape', 'russia-sanctions-relief', '--at', '2025-02-26', '--known-at', '2030-01-01'],
      ];
      for (const query of queries) {
        const [a, b] = await Promise.all([positions(source, ...query, '--json'), positions(copy, ...query, '--json')]);
        expect(a.code).toBe(0);
        expect(b.stdout).toBe(a.stdout);
      }
    }, 60_000);

    it('refuses to load into a store that is not empty, writing nothing (exit 1)', async () => {
      const run = await positions(copy, 'import-events', log);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('only into an empty store');
      expect(lines((await positions(copy, 'export')).stdout)).toHaveLength(lines(readFileSync(log, 'utf8')).length);
    });
  });

  it('refuses a log that breaks the order, naming the line and field, and writes nothing', async () => {
    const [first, second, ...rest] = lines(readFileSync(log, 'utf8'));
    const broken = { ...JSON.parse(second), recordedAt: '2000-01-01T00:00:00.000Z', mood: 'x' };
    const file = join(copy, 'broken.ndjson');
    writeFileSync(file, [first, JSON.stringify(broken), ...rest, 'not json'].join('\n') + '\n');
    const target = tempDir();
    try {
      const run = await positions(target, 'import-events', file);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${file}:2: recordedAt: must not be earlier than`);
      expect(run.stderr).toContain(`${file}:2: mood: is not a field of an event envelope`);
      expect(run.stderr).toMatch(new RegExp(`${file}:${rest.length + 3}: \\(line\\): is not valid JSON`));
      expect((await positions(target, 'export')).stdout).toBe('');
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  });
});

/** Corrections, a retraction and a new statement through the API, a few ms apart: knownAt then matters. */
async function amendThroughTheApi(dataDir: string): Promise<void> {
  const service = await startService({ dataDir });
  try {
    const statementOf = async (actor: string) => (await service.get(`/api/actors/${actor}/positions/russia-sanctions-relief?at=2025-02-26`)).body.statement.statementId;
    const [rubio, eu] = [await statementOf('marco-rubio'), await statementOf('european-union')];
    await expectCreated(service.post(`/api/statements/${rubio}/corrections`, { changes: { stance: 'not-yet' }, reason: 'misread' }, 'editor'));
    await sleep(5);
    await expectCreated(service.post(`/api/statements/${eu}/retractions`, { reason: 'wrong article' }, 'editor'));
    await sleep(5);
    await expectCreated(
      service.post('/api/statements', { actorId: 'european-union', topicId: 'russia-sanctions-relief', stance: 'no-lifting', summary: 'Sanctions stay', statedOn: '2025-03-05', source: { url: 'https://example.org/eu' } }),
    );
    await sleep(5);
    await expectCreated(service.post(`/api/statements/${rubio}/corrections`, { changes: { statedOn: '2025-02-17' }, reason: 'date' }, 'editor'));
  } finally {
    await service.stop();
  }
}

async function expectCreated(answer: Promise<{ status: number; body: unknown }>): Promise<void> {
  const { status, body } = await answer;
  if (status !== 201) throw new Error(`expected 201, got ${status}: ${JSON.stringify(body)}`);
}

/** The raw bodies (with their status) the API answers on a store. */
async function answers(dataDir: string, urls: string[]): Promise<string[]> {
  const service: TestService = await startService({ dataDir });
  try {
    const out: string[] = [];
    for (const url of urls) {
      const response = await service.app.inject({ method: 'GET', url });
      out.push(`${response.statusCode} ${response.body}`);
    }
    return out;
  } finally {
    await service.stop();
  }
}
