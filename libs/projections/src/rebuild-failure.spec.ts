import type { StoredEvent } from '@positions/event-store';
import { everyAnswer, ofPosition, positionStated, recordingStore, variedHistory, viewTables } from '@positions/testing';
import { ALL_PROJECTIONS } from './index';
import type { Projection, ViewsDatabase } from './projection';
import { ProjectionRunner } from './projection-runner';
import { ReadModels } from './read-models';
import { openViewsDatabase } from './views-database';

/** The projection, except that in generation `generation` its apply throws on the `nth` event it is given. */
function failingIn(projection: Projection, generation: number, nth: number): Projection {
  return {
    ...projection,
    open(db: ViewsDatabase, suffix: string) {
      const apply = projection.open(db, suffix);
      if (!suffix.endsWith(`_g${generation}`)) return apply;
      let count = 0;
      const failing = (event: StoredEvent) => {
        if (++count === nth) throw new Error(`cannot apply event ${event.position}`);
        apply(event);
      };
      return Object.assign(failing, { flush: apply.flush });
    },
  };
}


async function views(failing: (p: Projection) => Projection) {
  const { store, append } = recordingStore();
  await append(variedHistory(200, 41));
  const db = openViewsDatabase(':memory:');
  const errors: string[] = [];
  const projections = ALL_PROJECTIONS.map(failing);
  const runner = new ProjectionRunner(store, db, projections, { log: () => undefined, error: (m) => errors.push(m) }, 10);
  await runner.start();
  const read = new ReadModels(db, runner);
  const fresh = async () => {
    const freshDb = openViewsDatabase(':memory:');
    const freshRunner = new ProjectionRunner(store, freshDb, ALL_PROJECTIONS);
    await freshRunner.start();
    return everyAnswer(new ReadModels(freshDb, freshRunner), await store.readAll());
  };
  return { store, append, db, runner, read, errors, fresh, log: await store.readAll() };
}

const infoOf = async (runner: ProjectionRunner, name: string) => (await runner.info()).find((i) => i.name === name);

// Whole rebuilds of SQLite views: seconds on a busy 2-core machine, so more than jest's default 5 s.
jest.setTimeout(60_000);

describe('a failed rebuild', () => {
  for (const name of ['statements', 'members']) {
    it(`given the ${name} rebuild throws on its 25th event, then the old view keeps serving, info() says why, and a second rebuild retries`, async () => {
      const { store, runner, read, log, errors, db, append, fresh } = await views((p) => (p.name === name ? failingIn(p, 2, 25) : p));
      const before = everyAnswer(read, log);

      const { finished } = await runner.rebuild(name);
      await finished;
      const failed = await infoOf(runner, name);
      expect(failed).toMatchObject({ status: 'live', position: log.at(-1)?.position, lag: 0, rebuild: { status: 'failed', generation: 2 } });
      expect(failed?.error).toMatch(/^rebuild failed at position \d+: cannot apply event \d+$/);
      expect(failed?.rebuild?.error).toBe(failed?.error);
      expect(errors).toEqual([expect.stringContaining(`view ${name}: rebuild failed at position`)]);
      expect(runner.suffix(name)).toMatch(/_g1$/);
      expect(everyAnswer(read, log)).toEqual(before);

      // The serving view keeps following the log.
      const position = await append([ofPosition('marco-rubio', 'russia-sanctions-relief', positionStated({ statementId: 'after-failure', statedOn: '2025-02-27' }))]);
      await runner.waitFor(position);
      expect(read.statement('after-failure')).not.toBeNull();

      const retry = await runner.rebuild(name);
      expect(retry.progress).toMatchObject({ status: 'running', generation: 3, error: null });
      await retry.finished;
      expect(await infoOf(runner, name)).toMatchObject({ status: 'live', error: null, rebuild: null, position, lag: 0 });
      expect(runner.suffix(name)).toMatch(/_g3$/);
      expect(everyAnswer(read, await store.readAll())).toEqual(await fresh());
      expect(viewTables(db, `*_${name}_v1_g[12]`)).toEqual([]);
      expect(db.prepare('SELECT COUNT(*) FROM projection_builds').pluck().get()).toBe(0);
    });
  }

  it('given a view that failed while following the log, then info() says so, the others go on, and a rebuild repairs it', async () => {
    const { append, fresh, store } = await views((p) => p);
    const broken = failingIn(ALL_PROJECTIONS.find((p) => p.name === 'stance-counts') as Projection, 1, 1);
    const db = openViewsDatabase(':memory:');
    const failing = new ProjectionRunner(store, db, ALL_PROJECTIONS.map((p) => (p.name === 'stance-counts' ? broken : p)));
    await failing.start();
    const info = await infoOf(failing, 'stance-counts');
    expect(info).toMatchObject({ status: 'failed', position: 0, error: expect.stringMatching(/^events 1\.\.\d+: cannot apply event \d+$/) });
    expect(await infoOf(failing, 'statements')).toMatchObject({ status: 'live', lag: 0 });

    await append([ofPosition('donald-trump', 'russia-sanctions-relief', positionStated({ statementId: 'later', statedOn: '2025-02-27' }))]);
    await failing.waitFor(await store.lastPosition());
    expect(new ReadModels(db, failing).statement('later')).not.toBeNull();

    await (await failing.rebuild('stance-counts')).finished;
    expect(await infoOf(failing, 'stance-counts')).toMatchObject({ status: 'live', error: null, rebuild: null, lag: 0 });
    expect(everyAnswer(new ReadModels(db, failing), await store.readAll())).toEqual(await fresh());
  });
});
