import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { dropSchema, freshSchema, givenPostgresUrl, postgresBin, startTestPostgres, type TestPostgres } from '../libs/event-store/src/postgres/testing/postgres-cluster';
import { buildCli, lines, runCli, SAMPLE, tempDir } from './support/cli-harness';
import { type ServiceProcess, startProcess } from './support/process-service';
import { readLog } from './support/reference';

/*
 * Several instances on one PostgreSQL record: two service processes (the compiled app, each with
 * its own read models) and the CLI, all with EVENT_STORE=postgres on one schema. Runs on the
 * database POSTGRES_TEST_URL names (.ci/run starts one), else on a throwaway cluster; reported
 * skipped, saying why, only when PostgreSQL is not installed.
 */

jest.setTimeout(180_000);

const skipReason = givenPostgresUrl() || postgresBin() ? null : 'PostgreSQL is not installed and POSTGRES_TEST_URL is not set';
const TOPIC = 'russia-sanctions-relief';
const ACTORS = ['multi-a', 'multi-b'];

/** Polls `read` until `done` holds of its answer; a generous bound, no timing asserted. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(50);
  }
}

const statement = (actorId: string, tag: string) => ({
  actorId,
  topicId: TOPIC,
  stance: 'not-yet',
  summary: tag,
  statedOn: '2024-05-01',
  source: { title: 'Multi-instance test', url: `https://example.org/${tag}` },
});

(skipReason ? describe.skip : describe)(`PostgreSQL: two service instances and the CLI on one record${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let database: TestPostgres;
  let env: Record<string, string>;
  let cliDir: string;
  let a: ServiceProcess;
  let b: ServiceProcess;

  beforeAll(async () => {
    const started = await startTestPostgres();
    if ('unavailable' in started) throw new Error(started.unavailable);
    database = started;
    // Instances sharing a store share the secret keyIds are derived with (README, "Security model"):
    // the same key is then the same principal on both, as its idempotency keys need.
    env = { EVENT_STORE: 'postgres', DATABASE_URL: database.url, DATABASE_SCHEMA: freshSchema('multi'), KEY_ID_SECRET: 'multi-instance-test-secret' };
    cliDir = tempDir();
    // The CLI writes first: the sample record, which both instances then serve.
    const imported = await runCli(await buildCli(), ['import', SAMPLE], { dataDir: cliDir, env });
    expect(imported).toMatchObject({ code: 0 });
    [a, b] = await Promise.all([startProcess({ env }), startProcess({ env })]);
    for (const id of ACTORS) expect((await a.post('/api/actors', { id, name: id, kind: 'person' })).status).toBe(201);
  }, 300_000);

  afterAll(async () => {
    for (const service of [a, b]) {
      if (!service) continue;
      await service.kill('SIGKILL');
      rmSync(service.dataDir, { recursive: true, force: true });
    }
    if (cliDir) rmSync(cliDir, { recursive: true, force: true });
    if (database) {
      await dropSchema(database.url, env.DATABASE_SCHEMA);
      await database.stop();
    }
  });

  it('serves what the CLI imported on both instances', async () => {
    for (const service of [a, b]) {
      const topic = await service.get(`/api/topics/${TOPIC}`);
      expect(topic.status).toBe(200);
    }
    expect((await a.get('/api/events?limit=1')).body.events).toEqual((await b.get('/api/events?limit=1')).body.events);
  });

  it('shows a write on one instance on the other (LISTEN/NOTIFY; within a second in practice)', async () => {
    const written = await a.post('/api/statements', statement('multi-a', 'seen-on-b'));
    expect(written.status).toBe(201);
    const started = Date.now();
    const onB = await eventually(() => b.get(`/api/statements/${written.body.statementId}`), (answer) => answer.status === 200);
    expect(onB.body).toMatchObject({ statementId: written.body.statementId, summary: 'seen-on-b' });
    // Reported, not asserted: a busy machine may be slower, and the bound above is generous.
    process.stdout.write(`write on a readable on b after ${Date.now() - started} ms\n`);
  });

  it('loses nothing when writers on both instances race on one stream', async () => {
    const tags = Array.from({ length: 24 }, (_, i) => `race-${i}`);
    const answers = await Promise.all(tags.map((tag, i) => (i % 2 ? a : b).post('/api/statements', statement('multi-b', tag))));
    // Without If-Match the service retries a race with another writer (API.md): every write lands.
    expect(answers.map((answer) => answer.status)).toEqual(tags.map(() => 201));
    const acknowledged = tags;
    const log = await readLog(a, `streamId=position-multi-b.${TOPIC}`);
    const summaries = log.filter((e) => e.type === 'PositionStated').map((e) => e.data.summary as string);
    // Every acknowledged write is there once.
    expect(summaries.sort()).toEqual([...acknowledged].sort());
    expect(log.map((e) => e.streamPosition)).toEqual(log.map((_e, i) => i));
  });

  it('answers an idempotency key used on one instance the same on the other', async () => {
    const body = statement('multi-a', 'idempotent');
    const first = await a.post('/api/statements', body, 'recorder', { 'idempotency-key': 'multi-instance-1' });
    expect(first.status).toBe(201);
    const again = await b.post('/api/statements', body, 'recorder', { 'idempotency-key': 'multi-instance-1' });
    expect({ status: again.status, body: again.body }).toEqual({ status: first.status, body: first.body });
    const reused = await b.post('/api/statements', { ...body, summary: 'another body' }, 'recorder', { 'idempotency-key': 'multi-instance-1' });
    expect(reused.status).toBe(409);
    const log = await readLog(b, 'type=PositionStated');
    expect(log.filter((e) => e.data.summary === 'idempotent')).toHaveLength(1);
  });

  it('loses no acknowledged write when one instance is SIGKILLed mid-load, and the other keeps serving', async () => {
    const acknowledged: string[] = [];
    let killed = false;
    const writer = async (service: ServiceProcess, w: number) => {
      for (let n = 0; n < 40; n++) {
        if (service === a && killed) return;
        try {
          const answer = await service.post('/api/statements', statement(ACTORS[n % 2], `load-${w}-${n}`));
          if (answer.status === 201) acknowledged.push(answer.body.statementId);
          else if (service === b) expect(answer.status).toBeLessThan(500);
        } catch {
          if (service === a) return; // the connection was cut: that write may have gone either way
          throw new Error('the surviving instance stopped answering');
        }
      }
    };
    const load = [0, 1, 2].flatMap((w) => [writer(a, w), writer(b, w + 10)]);
    await eventually(async () => acknowledged.length, (n) => n >= 20);
    killed = true;
    await a.kill('SIGKILL');
    await Promise.all(load);
    const after = await b.post('/api/statements', statement('multi-a', 'after-the-kill'));
    expect(after.status).toBe(201);
    const answers = await Promise.all(acknowledged.map((id) => b.get(`/api/statements/${id}`)));
    expect(answers.filter((answer) => answer.status !== 200).map((answer) => answer.body)).toEqual([]);
    // The CLI, a third process on the record, sees every acknowledged write too.
    const exported = await runCli(await buildCli(), ['export'], { dataDir: cliDir, env });
    expect(exported.code).toBe(0);
    const ids = new Set(lines(exported.stdout).map((line) => (JSON.parse(line) as { data: { statementId?: string } }).data.statementId));
    expect(acknowledged.filter((id) => !ids.has(id))).toEqual([]);
  });
});
