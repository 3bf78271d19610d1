import { sanctionsReliefBody } from '@positions/testing';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startService, type TestService } from './support/app-harness';
import { type ServiceProcess, startProcess } from './support/process-service';
import { disagreements, type Envelope, readLog, type Reader } from './support/reference';
import { PROCESS_TEST_MS } from './support/timeouts';

/*
 * Concurrency: many writers at once on one actor–topic stream and on many, in one process and
 * in two processes sharing one data folder. No update is lost, none is written twice, the same
 * Idempotency-Key writes once, and every process's views end up agreeing with the log.
 */

jest.setTimeout(PROCESS_TEST_MS);

const TOPIC = 'russia-sanctions-relief';
const CODES = ['lift-unconditionally', 'concessions-needed', 'not-yet', 'no-lifting', 'tighten'];
const ATS = ['2024-01-31', '2024-06-30', '2025-01-01T00:00:00Z'];
const day = (i: number) => new Date(Date.UTC(2024, 0, 1 + (i % 360))).toISOString().slice(0, 10);

const statement = (actorId: string, i: number, tag: string) => ({
  actorId,
  topicId: TOPIC,
  stance: CODES[i % CODES.length],
  summary: tag,
  statedOn: day(i),
  source: { title: 'Concurrency test' },
});

type Poster = { post(path: string, body: unknown, as?: 'recorder' | 'editor', headers?: Record<string, string>): Promise<{ status: number; body: any }> };

/** Every PositionStated appears once per statementId; each stream's positions are 0..n-1 with no gap. */
function expectNoDuplicateNoGap(log: readonly Envelope[]): void {
  const perStatement = new Map<string, number>();
  const perStream = new Map<string, number[]>();
  for (const e of log) {
    if (e.type === 'PositionStated') perStatement.set(e.data.statementId, (perStatement.get(e.data.statementId) ?? 0) + 1);
    perStream.set(e.streamId, [...(perStream.get(e.streamId) ?? []), e.streamPosition]);
  }
  expect([...perStatement].filter(([, n]) => n !== 1)).toEqual([]);
  for (const [streamId, positions] of perStream) expect({ streamId, positions }).toEqual({ streamId, positions: positions.map((_, i) => i) });
  const positions = log.map((e) => e.position);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  expect(new Set(positions).size).toBe(positions.length);
}

/** The same command, with one Idempotency-Key, sent `copies` times at once (round-robin over `targets`): one write, equal answers. */
async function expectWrittenOnce(reader: Reader, targets: Poster[], path: string, body: unknown, as: 'recorder' | 'editor', key: string, copies = 8) {
  const before = (await readLog(reader)).length;
  const answers = await Promise.all(Array.from({ length: copies }, (_, i) => targets[i % targets.length].post(path, body, as, { 'idempotency-key': key })));
  expect(answers.map((a) => a.status)).toEqual(Array(copies).fill(201));
  for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
  expect((await readLog(reader)).length).toBe(before + 1);
  return answers[0].body;
}

describe('reliability: parallel writers in one process', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startService();
    expect((await service.post('/api/topics', sanctionsReliefBody())).status).toBe(201);
  });
  afterAll(() => service.close());

  it('keeps all of 60 statements and 20 corrections sent at once to ONE stream, each once, and the views agree', async () => {
    expect((await service.post('/api/actors', { id: 'hot', name: 'Hot', kind: 'person' })).status).toBe(201);
    const first = await Promise.all(Array.from({ length: 20 }, (_, i) => service.post('/api/statements', statement('hot', i, `first-${i}`))));
    expect(first.map((a) => a.status)).toEqual(Array(20).fill(201));
    const answers = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => service.post('/api/statements', statement('hot', i + 20, `second-${i}`))),
      ...first.map((a, i) => service.post(`/api/statements/${a.body.statementId}/corrections`, { changes: { stance: CODES[(i + 2) % 5] }, reason: `fix-${i}` }, 'editor')),
    ]);
    expect(answers.map((a) => a.status)).toEqual(Array(60).fill(201));
    const stream = await readLog(service, 'streamId=position-hot.russia-sanctions-relief');
    expect(stream.filter((e) => e.type === 'PositionStated').map((e) => e.data.summary).sort()).toEqual(
      [...Array.from({ length: 20 }, (_, i) => `first-${i}`), ...Array.from({ length: 40 }, (_, i) => `second-${i}`)].sort(),
    );
    expect(stream.filter((e) => e.type === 'StatementCorrected')).toHaveLength(20);
    expectNoDuplicateNoGap(await readLog(service));
    expect(await disagreements(service, { ats: ATS })).toEqual([]);
  });

  it('keeps all of 120 statements sent at once to 24 streams', async () => {
    const actors = Array.from({ length: 24 }, (_, i) => `many-${i}`);
    expect((await Promise.all(actors.map((id) => service.post('/api/actors', { id, name: id, kind: 'person' })))).map((a) => a.status)).toEqual(Array(24).fill(201));
    const answers = await Promise.all(Array.from({ length: 120 }, (_, i) => service.post('/api/statements', statement(actors[i % 24], i, `many-${i}`))));
    expect(answers.map((a) => a.status)).toEqual(Array(120).fill(201));
    const log = await readLog(service);
    expectNoDuplicateNoGap(log);
    const ids = new Set(log.filter((e) => e.type === 'PositionStated').map((e) => e.data.statementId));
    expect(answers.filter((a) => !ids.has(a.body.statementId))).toEqual([]);
    expect(await disagreements(service, { ats: ATS })).toEqual([]);
  });

  it('writes each kind of command once when the same Idempotency-Key arrives 8 times at once', async () => {
    const post = [service];
    await expectWrittenOnce(service, post, '/api/actors', { id: 'idem-org', name: 'Org', kind: 'organization' }, 'recorder', 'k-actor');
    await expectWrittenOnce(service, post, '/api/actors', { id: 'idem-person', name: 'Person', kind: 'person' }, 'recorder', 'k-person');
    await expectWrittenOnce(service, post, '/api/actors/idem-person/affiliations', { organizationId: 'idem-org', role: 'Speaker', from: '2024-01-01', speaksFor: true }, 'recorder', 'k-aff');
    await expectWrittenOnce(service, post, '/api/actors/idem-person/affiliations/end', { organizationId: 'idem-org', role: 'Speaker', until: '2024-12-31' }, 'recorder', 'k-end');
    await expectWrittenOnce(service, post, '/api/topics', sanctionsReliefBody({ id: 'idem-topic' }), 'recorder', 'k-topic');
    await expectWrittenOnce(service, post, '/api/topics/idem-topic/stances', { code: 'unsure', label: 'Unsure', score: 0 }, 'recorder', 'k-stance');
    const { statementId } = await expectWrittenOnce(service, post, '/api/statements', { ...statement('idem-person', 1, 'idem'), topicId: 'idem-topic' }, 'recorder', 'k-statement');
    await expectWrittenOnce(service, post, `/api/statements/${statementId}/corrections`, { changes: { stance: 'unsure' }, reason: 'r' }, 'editor', 'k-correct');
    await expectWrittenOnce(service, post, `/api/statements/${statementId}/retractions`, { reason: 'r' }, 'editor', 'k-retract');
    expectNoDuplicateNoGap(await readLog(service));
  });
});

describe('reliability: two service processes on the SAME data folder', () => {
  let a: ServiceProcess;
  let b: ServiceProcess;

  beforeAll(async () => {
    a = await startProcess();
    b = await startProcess({ dataDir: a.dataDir });
    expect((await a.post('/api/topics', sanctionsReliefBody())).status).toBe(201);
    for (const id of ['duo-hot', 'duo-1', 'duo-2', 'duo-3', 'duo-4']) expect((await b.post('/api/actors', { id, name: id, kind: 'person' })).status).toBe(201);
  });

  afterAll(async () => {
    await Promise.all([a?.kill('SIGKILL'), b?.kill('SIGKILL')]);
    if (a) rmSync(a.dataDir, { recursive: true, force: true });
  });

  it('keeps every write of 8 writers hitting both processes, on one hot stream and on four others, exactly once', async () => {
    const actors = ['duo-hot', 'duo-hot', 'duo-hot', 'duo-hot', 'duo-1', 'duo-2', 'duo-3', 'duo-4'];
    const acknowledged: string[] = [];
    await Promise.all(
      actors.map(async (actorId, w) => {
        for (let n = 0; n < 20; n++) {
          const answer = await [a, b][(w + n) % 2].post('/api/statements', statement(actorId, w * 20 + n, `duo-${w}-${n}`));
          expect({ status: answer.status, body: answer.status === 201 ? undefined : answer.body }).toEqual({ status: 201, body: undefined });
          acknowledged.push(answer.body.statementId);
        }
      }),
    );
    const log = await readLog(a);
    expectNoDuplicateNoGap(log);
    expect(await readLog(b)).toEqual(log);
    const stated = new Set(log.filter((e) => e.type === 'PositionStated').map((e) => e.data.statementId));
    expect(acknowledged.filter((id) => !stated.has(id))).toEqual([]);
    expect(log.filter((e) => e.streamId === 'position-duo-hot.russia-sanctions-relief')).toHaveLength(80);
  });

  it('writes once when the same Idempotency-Key is sent to both processes at once', async () => {
    const body = { ...statement('duo-1', 7, 'duo-idem'), stance: 'tighten' };
    const { statementId } = await expectWrittenOnce(a, [a, b], '/api/statements', body, 'recorder', 'duo-key', 10);
    await expectWrittenOnce(a, [b, a], `/api/statements/${statementId}/corrections`, { changes: { stance: 'not-yet' }, reason: 'duo' }, 'editor', 'duo-fix', 10);
    const log = await readLog(b);
    expect(log.filter((e) => e.data?.summary === 'duo-idem')).toHaveLength(1);
    expectNoDuplicateNoGap(log);
  });

  it("each process's views agree with the log once they have followed the other's appends", async () => {
    for (const service of [a, b]) {
      const behind = async () => ((await service.get('/api/projections')).body as any[]).filter((v) => v.status !== 'live' || v.lag !== 0);
      let found: unknown[] = [];
      for (const deadline = Date.now() + 5000; Date.now() < deadline; await sleep(250)) {
        found = [...(await behind()), ...(await disagreements(service, { ats: ATS }))];
        if (found.length === 0) break;
      }
      expect(found).toEqual([]);
    }
  });
});
