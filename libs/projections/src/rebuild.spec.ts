import { membersProjection } from './members.projection';
import { endInstant, positionAt, type PositionEvent, type Recorded } from '@positions/domain';
import { everyAnswer, recordingStore, variedHistory, viewRows } from '@positions/testing';
import { ALL_PROJECTIONS } from './index';
import { ProjectionRunner } from './projection-runner';
import { ReadModels } from './read-models';
import { KNOWN_NOW } from './statements.reader';
import { openViewsDatabase } from './views-database';

const NAMES = ALL_PROJECTIONS.map((p) => p.name);

/** The seed data plus a few hundred random events, with views following the log as it was written. */
async function liveViews(size = 400, seed = 7) {
  const { store, append } = recordingStore();
  const db = openViewsDatabase(':memory:');
  const messages: string[] = [];
  const logger = { log: (m: string) => messages.push(m), error: (m: string) => messages.push(`ERROR ${m}`) };
  const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS, logger, 50);
  await runner.start();
  await runner.waitFor(await append(variedHistory(size, seed)));
  const log = await store.readAll();
  return { store, db, runner, log, messages, read: new ReadModels(db, runner) };
}

describe('rebuilding every view from the log', () => {
  it('given views that followed a varied history, when each is rebuilt, then every answer is identical', async () => {
    const { runner, read, log } = await liveViews();
    const before = everyAnswer(read, log);
    for (const name of NAMES) {
      const { progress, finished } = await runner.rebuild(name);
      expect(progress).toMatchObject({ status: 'running', generation: 2, total: log.at(-1)?.position, error: null });
      await finished;
      expect(runner.suffix(name)).toMatch(/_g2$/);
    }
    expect(everyAnswer(read, log)).toEqual(before);
  });

  it('given a varied history, then the answers are not trivial (the comparison above means something)', async () => {
    const { read, log } = await liveViews();
    const answers = everyAnswer(read, log) as { landscapes: unknown[][][]; statements: unknown[] };
    expect(read.actors().length).toBeGreaterThanOrEqual(11);
    expect(read.landscapeEntries('russia-sanctions-relief', endInstant('2025-02-26')).length).toBeGreaterThanOrEqual(5);
    expect(answers.statements.length).toBeGreaterThan(200);
    expect(log.filter((e) => e.type === 'StatementCorrected').length).toBeGreaterThan(20);
    expect(log.filter((e) => e.type === 'StatementRetracted').length).toBeGreaterThan(20);
    expect(log.filter((e) => e.type === 'AffiliationEnded').length).toBeGreaterThan(5);
    expect(read.members('example-council').length).toBeGreaterThan(3);
  });

  it('given a varied history, then views built by a fresh runner from position 0 hold the same rows as those that followed it live', async () => {
    const { store, db, runner } = await liveViews();
    const freshDb = openViewsDatabase(':memory:');
    const fresh = new ProjectionRunner(store, freshDb, ALL_PROJECTIONS, undefined, 1000);
    await fresh.start();
    for (const name of NAMES) expect(viewRows(freshDb, fresh, name)).toEqual(viewRows(db, runner, name));
  });

  it('given a varied history, then views built in bulk by a fresh runner from position 0 give every answer of those that followed it live (searches too)', async () => {
    const { store, read, log } = await liveViews();
    const freshDb = openViewsDatabase(':memory:');
    const fresh = new ProjectionRunner(store, freshDb, ALL_PROJECTIONS, undefined, 1000);
    await fresh.start(0);
    fresh.stop();
    const answers = everyAnswer(read, log) as { search: unknown[] };
    expect(JSON.stringify(answers.search)).toContain('statementId');
    expect(everyAnswer(new ReadModels(freshDb, fresh), log)).toEqual(answers);
  });

  it('given a varied history, then each position the index answers is the domain fold of the stream', async () => {
    const { read, log } = await liveViews();
    const streams = [...new Set(log.filter((e) => e.streamId.startsWith('position-')).map((e) => e.streamId))];
    const knownAts = [undefined, log[Math.floor(log.length / 2)].recordedAt];
    for (const streamId of streams) {
      const [actorId, topicId] = streamId.slice('position-'.length).split('.');
      const events = log.filter((e) => e.streamId === streamId).map((e) => ({ type: e.type, data: e.data, position: e.position, recordedAt: e.recordedAt }) as Recorded<PositionEvent>);
      for (const at of ['2025-01-20', '2025-02-10', '2025-02-14T12:00:00Z', '2025-02-28'])
        for (const knownAt of knownAts) {
          const reference = positionAt(events, at, knownAt);
          const indexed = read.positionAt(actorId, topicId, endInstant(at), knownAt ? Date.parse(knownAt) : KNOWN_NOW);
          const answer = [indexed?.statement?.statementId ?? null, indexed?.since ?? null, indexed?.certainty ?? 'certain', indexed?.alternatives ?? []];
          expect([streamId, at, knownAt, ...answer]).toEqual([streamId, at, knownAt, reference.statement?.statementId ?? null, reference.since, reference.certainty, reference.alternatives]);
        }
    }
  });

  it('when a rebuild runs, then it says so in the log and in info(), with progress, and switches to live with the old tables dropped', async () => {
    const { runner, db, messages, log } = await liveViews(200, 11);
    const last = log.at(-1)?.position;
    const { finished } = await runner.rebuild('statements');
    const during = (await runner.info()).find((i) => i.name === 'statements');
    expect(during).toMatchObject({ status: 'rebuilding', position: last, lag: 0, rebuild: { status: 'running', total: last, error: null } });
    expect(during?.rebuild?.rate).toBeGreaterThanOrEqual(0);
    expect(Date.parse(during?.rebuild?.startedAt ?? '')).not.toBeNaN();
    await finished;
    expect((await runner.info()).find((i) => i.name === 'statements')).toEqual({ name: 'statements', version: 3, position: last, lag: 0, status: 'live', error: null, rebuild: null });
    expect(messages).toEqual(expect.arrayContaining([expect.stringContaining('rebuilding view statements (generation 2) from position 0 of'), expect.stringContaining('view statements rebuilt: generation 2 now answers')]));
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'statement_versions%'").pluck().all() as string[]).sort();
    expect(tables).toEqual(['statement_versions_statements_v3_g2']);
  });

  it('when a rebuild is asked for while one runs, then it is the same rebuild, and the next one after it takes a new generation', async () => {
    const { runner } = await liveViews(100, 5);
    const first = await runner.rebuild('members');
    const again = await runner.rebuild('members');
    expect(again.progress.generation).toBe(first.progress.generation);
    expect(again.finished).toBe(first.finished);
    await first.finished;
    const next = await runner.rebuild('members');
    expect(next.progress.generation).toBe(first.progress.generation + 1);
    await next.finished;
    expect(runner.suffix('members')).toBe(`_members_v${membersProjection.version}_g${next.progress.generation}`);
  });

  it('when an unknown view is rebuilt, then it is refused', async () => {
    const { runner } = await liveViews(10, 1);
    await expect(runner.rebuild('no-such-view')).rejects.toThrow(RangeError);
    expect(runner.has('no-such-view')).toBe(false);
  });
});
