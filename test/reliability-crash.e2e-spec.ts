import { SqliteEventStore } from '@positions/event-store/sqlite';
import { sanctionsReliefBody } from '@positions/testing';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ServiceProcess, startProcess } from './support/process-service';
import { disagreements, readLog } from './support/reference';
import { PROCESS_TEST_MS } from './support/timeouts';

/*
 * Crash: the real service as a process, 8 concurrent writers, SIGKILL at several points, a
 * restart on the same data folder. A 2xx means written; an explicit error means not written; a
 * request whose connection was cut may have gone either way. Every read model must then agree
 * with the log (the reference fold of libs/domain).
 */

jest.setTimeout(PROCESS_TEST_MS);

const ACTORS = ['crash-a', 'crash-b', 'crash-c', 'crash-d'];
const TOPICS = ['russia-sanctions-relief', 'crash-topic'];
const CODES = ['lift-unconditionally', 'concessions-needed', 'not-yet', 'no-lifting', 'tighten'];
const ATS = ['2023-12-31', '2024-03-15', '2024-06-30T12:00:00Z', '2024-09-30', '2025-06-30'];
const WRITERS = 8;

type Outcome = { tag: string; kind: 'statement' | 'correction'; result: 'ok' | 'refused' | 'cut'; status?: number; statementId?: string };

/** A small seeded PRNG, so a failing run can be replayed by its kill point. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
const dateIn2024 = (rnd: () => number) => new Date(Date.UTC(2024, 0, 1) + Math.floor(rnd() * 366) * 86_400_000).toISOString().slice(0, 10);

/**
 * Writers post statements (and corrections of acknowledged ones) to 8 actor–topic streams
 * until `killAfter` of them have succeeded; then, after a random 0–15 ms, SIGKILL. Returns
 * what each request got. Writers stop at their first cut connection (the process is gone).
 */
async function writeUntilKilled(service: ServiceProcess, round: number, killAfter: number): Promise<Outcome[]> {
  const rnd = random(round * 7919 + killAfter);
  const outcomes: Outcome[] = [];
  const acknowledged: string[] = [];
  let successes = 0;
  let killing: Promise<unknown> | null = null;
  const writer = async (w: number) => {
    for (let n = 0; ; n++) {
      const tag = `r${round}-w${w}-n${n}`;
      const correcting = acknowledged.length > 0 && rnd() < 0.2;
      const kind = correcting ? 'correction' : 'statement';
      const request = correcting
        ? service.post(`/api/statements/${pick(rnd, acknowledged)}/corrections`, { changes: { stance: pick(rnd, CODES), statedOn: dateIn2024(rnd) }, reason: tag }, 'editor')
        : service.post('/api/statements', {
            actorId: pick(rnd, ACTORS),
            topicId: pick(rnd, TOPICS),
            stance: pick(rnd, CODES),
            summary: tag,
            statedOn: rnd() < 0.3 ? `${dateIn2024(rnd)}T${String(Math.floor(rnd() * 24)).padStart(2, '0')}:30:00+02:00` : dateIn2024(rnd),
            source: { title: 'Crash test', url: `https://example.org/${tag}` },
          });
      try {
        const answer = await request;
        const ok = answer.status >= 200 && answer.status < 300;
        outcomes.push({ tag, kind, result: ok ? 'ok' : 'refused', status: answer.status, statementId: answer.body?.statementId });
        if (ok && kind === 'statement') acknowledged.push(answer.body.statementId);
        if (ok && ++successes >= killAfter && !killing) killing = sleep(rnd() * 15).then(() => service.kill('SIGKILL'));
      } catch {
        outcomes.push({ tag, kind, result: 'cut' });
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  await killing;
  return outcomes;
}

/** After a restart: what was acknowledged is there once, what was refused is not, cut ones at most once. */
async function expectOutcomesHonoured(service: ServiceProcess, outcomes: readonly Outcome[]): Promise<void> {
  const log = await readLog(service);
  const tagOf = (e: { type: string; data: any }) => (e.type === 'PositionStated' ? e.data.summary : e.type === 'StatementCorrected' ? e.data.reason : undefined);
  const count = new Map<string, number>();
  for (const e of log) {
    const tag = tagOf(e);
    if (tag !== undefined) count.set(tag, (count.get(tag) ?? 0) + 1);
  }
  const wrong = outcomes.filter((o) => {
    const n = count.get(o.tag) ?? 0;
    return o.result === 'ok' ? n !== 1 : o.result === 'refused' ? n !== 0 : n > 1;
  });
  expect(wrong.map((o) => ({ ...o, inLog: count.get(o.tag) ?? 0 }))).toEqual([]);
  const acknowledged = outcomes.filter((o) => o.result === 'ok' && o.kind === 'statement');
  const answers = await Promise.all(acknowledged.map((o) => service.get(`/api/statements/${o.statementId}`)));
  expect(answers.filter((a) => a.status !== 200).map((a) => a.body)).toEqual([]);
  expect(answers.map((a) => a.body.summary)).toEqual(acknowledged.map((o) => o.tag));
}

/** Appends `count` statements straight to the store file, in one group commit. */
async function prefill(dataDir: string, count: number): Promise<void> {
  const store = SqliteEventStore.open(join(dataDir, 'events.db'));
  const rnd = random(count);
  const metadata = { recordedBy: 'system:test', correlationId: randomUUID(), causationId: null };
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const data = { statementId: randomUUID(), stance: pick(rnd, CODES), summary: `bulk ${i}`, statedOn: dateIn2024(rnd), source: { title: 'Bulk' } };
      return store.append(`position-${pick(rnd, ACTORS)}.${pick(rnd, TOPICS)}`, [{ type: 'PositionStated', schemaVersion: 1, data }], 'any', metadata);
    }),
  );
  await store.close();
}

/** The checkpoint of an unfinished rebuild of `name`, read from the views file with a connection of our own. */
function buildCheckpoint(dataDir: string, name: string): { generation: number; position: number } | null {
  const db = new Database(join(dataDir, 'views.db'), { fileMustExist: true });
  try {
    return (db.prepare('SELECT generation, position FROM projection_builds WHERE name = ?').get(name) as { generation: number; position: number } | undefined) ?? null;
  } finally {
    db.close();
  }
}

async function expectViewsAgree(service: ServiceProcess): Promise<void> {
  expect(await disagreements(service, { ats: ATS })).toEqual([]);
}

async function waitForLiveViews(service: ServiceProcess, timeoutMs = 20_000): Promise<any[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const views = (await service.get('/api/projections')).body as any[];
    if (views.every((v) => v.status === 'live' && v.lag === 0) || Date.now() > deadline) return views;
    await sleep(100);
  }
}

describe('reliability: SIGKILL mid-stream, then a restart on the same data folder', () => {
  let service: ServiceProcess;
  let dataDir: string;

  beforeAll(async () => {
    service = await startProcess();
    dataDir = service.dataDir;
    for (const id of ACTORS) expect((await service.post('/api/actors', { id, name: id, kind: 'person' })).status).toBe(201);
    expect((await service.post('/api/topics', sanctionsReliefBody())).status).toBe(201);
    expect((await service.post('/api/topics', sanctionsReliefBody({ id: 'crash-topic', title: 'Crash topic' }))).status).toBe(201);
  });

  afterAll(async () => {
    await service?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Kill points: early (few writes, first group commits), mid-stream, and deep into a long run.
  it.each([
    [1, 3],
    [2, 40],
    [3, 250],
  ])('round %i: killed after %i acknowledged writes, every 2xx survives, no refused write is there, views agree with the log', async (round, killAfter) => {
    const outcomes = await writeUntilKilled(service, round, killAfter);
    expect(outcomes.filter((o) => o.result === 'ok').length).toBeGreaterThanOrEqual(killAfter);
    expect(outcomes.filter((o) => o.result === 'cut').length).toBeGreaterThan(0);
    service = await startProcess({ dataDir });
    await expectOutcomesHonoured(service, outcomes);
    expect((await waitForLiveViews(service)).filter((v) => v.status !== 'live' || v.lag !== 0)).toEqual([]);
    await expectViewsAgree(service);
  });

  it('a kill right after a projection rebuild is accepted: after the restart the rebuild finishes, the view answers correctly', async () => {
    // A few thousand events (appended with the store's own code while the service is down; it
    // catches up on start), so the rebuild is still running when the process dies.
    await service.kill('SIGKILL');
    await prefill(dataDir, 4000);
    service = await startProcess({ dataDir });
    const accepted = await service.post('/api/projections/statements/rebuild', undefined, 'admin');
    expect(accepted.status).toBe(202);
    expect(accepted.body.rebuild.status).toBe('running');
    await service.kill('SIGKILL');
    const interrupted = buildCheckpoint(dataDir, 'statements');
    expect(interrupted).not.toBeNull();

    service = await startProcess({ dataDir });
    const views = await waitForLiveViews(service);
    expect(views.find((v) => v.name === 'statements')).toMatchObject({ status: 'live', lag: 0, error: null });
    expect(views.filter((v) => v.status !== 'live' || v.lag !== 0)).toEqual([]);
    expect(buildCheckpoint(dataDir, 'statements')).toBeNull();
    await expectViewsAgree(service);
  });
});
