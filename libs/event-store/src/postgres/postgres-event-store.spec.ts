/**
 * The EventStore contract on a real PostgreSQL: the one POSTGRES_TEST_URL names (CI starts
 * one), else a throwaway cluster started for this file from the installed binaries. Each test
 * gets a schema of its own. Skipped, saying why, only when PostgreSQL cannot be started.
 */
import { createServer } from 'node:net';
import { Client } from 'pg';
import { describeEventStoreContract } from '../event-store.contract';
import { AppendMetadata, EventStore, StoreUnavailableError, WrongExpectedPositionError } from '../event-store.port';
import { PostgresEventStore, PostgresEventStoreOptions } from './postgres-event-store';
import { TestPostgres, dropSchema, freshSchema, givenPostgresUrl, postgresBin, startTestPostgres } from './testing/postgres-cluster';

jest.setTimeout(60_000);

const META: AppendMetadata = { recordedBy: 'recorder:test', correlationId: 'corr', causationId: null };
const event = (type: string, data: unknown = {}) => ({ type, schemaVersion: 1, data });

// Decided when the file loads: without a URL and without binaries, the suites are reported
// skipped with the reason; with binaries that fail to start a cluster, the tests fail with it.
const skipReason = givenPostgresUrl() || postgresBin() ? null : 'PostgreSQL is not installed and POSTGRES_TEST_URL is not set';
const describeOnPostgres = skipReason ? describe.skip : describe;

let database: TestPostgres | null = null;
let unavailable = '';

beforeAll(async () => {
  if (skipReason) return;
  const started = await startTestPostgres();
  if ('unavailable' in started) unavailable = started.unavailable;
  else database = started;
}, 180_000);
afterAll(async () => database?.stop());

/** Stores opened by a test, on one schema, closed and dropped after it. */
function opener(clock?: () => Date, extra: PostgresEventStoreOptions = {}) {
  const schema = freshSchema('contract');
  const opened: EventStore[] = [];
  const open = async (options: PostgresEventStoreOptions = {}) => {
    if (!database) throw new Error(unavailable);
    opened.push(await PostgresEventStore.connect(database.url, { clock, schema, pollMs: 100, ...extra, ...options }));
    return opened[opened.length - 1] as PostgresEventStore;
  };
  const cleanup = async () => {
    for (const store of opened) await store.close();
    if (database) await dropSchema(database.url, schema);
  };
  return { schema, open, cleanup };
}

if (skipReason) {
  describe.skip(`EventStore contract: postgres (skipped: ${skipReason})`, () => {
    it('runs the EventStore contract against PostgreSQL', () => undefined);
  });
} else describeEventStoreContract(
  'postgres',
  async (clock) => {
    const { open, cleanup } = opener(clock);
    const store = await open();
    return { store, reopen: () => open(), cleanup };
  },
  { durable: true, quietMs: 150 },
);

describeOnPostgres('PostgresEventStore across instances (two stores on one schema)', () => {
  let subject: ReturnType<typeof opener>;
  beforeEach(() => {
    subject = opener();
  });
  afterEach(async () => subject.cleanup());

  it('tells a subscribed instance of another instance’s append (NOTIFY), long before its polling would', async () => {
    const reader = await subject.open({ pollMs: 60_000 });
    const writer = await subject.open();
    const seen: number[] = [];
    reader.subscribe((position) => seen.push(position));
    await new Promise((resolve) => setTimeout(resolve, 300)); // LISTEN is set up in the background
    const { position } = await writer.append('s', [event('A')], -1, META);
    await waitFor(() => seen.includes(position), 5000);
  });

  it('finds another instance’s append by polling when notifications are not heard', async () => {
    const reader = await subject.open({ pollMs: 100 });
    const writer = await subject.open();
    const seen: number[] = [];
    reader.subscribe((position) => seen.push(position));
    // A write that sends no NOTIFY: as if it had been sent while the listening connection was down.
    const { position } = await writer.append('s', [event('A')], -1, META);
    await waitFor(() => seen.includes(position), 5000);
    await terminate("application_name = 'positions-listen'");
    const second = await writer.append('s', [event('B')], 0, META);
    await waitFor(() => seen.includes(second.position), 5000);
  });

  it('never lets a follower skip a position: one reading after the last position it saw ends with the whole log', async () => {
    const writers = await Promise.all([0, 1, 2].map(() => subject.open({ poolSize: 4 })));
    const reader = await subject.open();
    let writing = true;
    const followed: number[] = [];
    // As a projection follows the log: read what comes after the last position seen. With a gap
    // (N+1 visible before N committed), N would be skipped for good.
    const follow = (async () => {
      while (writing || followed.length < 60) {
        // Whether every append had resolved before this reading started, not when it returns.
        const allWritten = !writing;
        const page = await reader.readAll({ after: followed.at(-1) ?? 0, limit: 7 });
        followed.push(...page.map((e) => e.position));
        if (allWritten && page.length === 0) break;
      }
    })();
    const appends = writers.flatMap((writer, w) => Array.from({ length: 20 }, (_, i) => writer.append(`s-${w}-${i}`, [event('E', { w, i })], -1, META)));
    await Promise.all(appends);
    writing = false;
    await follow;
    const log = await reader.readAll();
    expect(log).toHaveLength(60);
    expect(followed).toEqual(log.map((e) => e.position));
  });

  it('lets exactly one of racing instances win an expected position, the others getting a conflict', async () => {
    const stores = await Promise.all([0, 1, 2, 3].map(() => subject.open()));
    await stores[0].append('s', [event('Start')], -1, META);
    const outcomes = await Promise.allSettled(stores.map((store, i) => store.append('s', [event(`R${i}`)], 0, META)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedPositionError);
  });

  it('keeps recordedAt non-decreasing across instances whose clocks disagree', async () => {
    const ahead = await subject.open({ clock: () => new Date('2030-01-01T00:00:00.000Z') });
    const behind = await subject.open({ clock: () => new Date('2020-01-01T00:00:00.000Z') });
    await ahead.append('a', [event('A')], -1, META);
    const late = await behind.append('b', [event('B')], -1, META);
    expect(late.recordedAt).toBe('2030-01-01T00:00:00.001Z');
  });

  it('keeps several records apart in one database, one schema each', async () => {
    const other = opener();
    try {
      const mine = await subject.open();
      const theirs = await other.open();
      await mine.append('s', [event('Mine')], -1, META);
      expect(await theirs.readAll()).toEqual([]);
      await theirs.append('s', [event('Theirs')], -1, META);
      expect((await mine.readStream('s')).map((e) => e.type)).toEqual(['Mine']);
    } finally {
      await other.cleanup();
    }
  });

  it('round-trips unicode and awkward JSON in data', async () => {
    const data = { quote: 'Мы не отступим — 我们 — لن 🇺🇦', escapes: 'tab\tnul\u0000"q" \\', lone: '\ud800', nested: [{ 'ключ': 1e21 }, -0.5, null] };
    const store = await subject.open();
    await store.append('s', [event('Stated', data)], -1, META);
    expect((await store.readStream('s'))[0].data).toEqual(data);
  });
});

describeOnPostgres('PostgresEventStore when the server cannot be reached', () => {
  it('fails to connect with a StoreUnavailableError naming the server without its password', async () => {
    const port = await closedPort();
    const error = await PostgresEventStore.connect(`postgresql://positions:s3cret@127.0.0.1:${port}/positions`, { connectTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('answers StoreUnavailableError, not a crash, once the server went away, and serves again when it is back', async () => {
    const subject = opener();
    try {
      const store = await subject.open();
      await store.append('s', [event('A')], -1, META);
      await terminate("application_name LIKE 'positions%'");
      // The pool's connections were killed: the first query on each fails as unavailable, or reconnects.
      const results = await Promise.allSettled([store.readAll(), store.append('s', [event('B')], 0, META)]);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StoreUnavailableError);
      await waitFor(async () => (await store.readAll().catch(() => [])).length >= 1, 5000);
    } finally {
      await subject.cleanup();
    }
  });
});

function adminClient(): Client {
  if (!database) throw new Error(unavailable);
  return new Client({ connectionString: database.url });
}

/** Ends the server's backends that match, as a restart of the server would. */
async function terminate(where: string): Promise<void> {
  const client = adminClient();
  await client.connect();
  try {
    await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${where} AND pid <> pg_backend_pid()`);
  } finally {
    await client.end();
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
