import { everyAnswer, recordingStore, variedHistory, viewRows } from '@positions/testing';
import { ALL_PROJECTIONS } from './index';
import { ProjectionRunner } from './projection-runner';
import { ReadModels } from './read-models';
import { openViewsDatabase } from './views-database';

const NAMES = ALL_PROJECTIONS.map((p) => p.name);

// Whole rebuilds of SQLite views: seconds on a busy 2-core machine, so more than jest's default 5 s.
jest.setTimeout(60_000);

describe('a rebuild under concurrent writes', () => {
  it('given a log of a few hundred events, when every view is rebuilt in batches of 5 while appends go on, then no append is lost', async () => {
    const history = variedHistory(500, 23);
    const { store, append } = recordingStore();
    const db = openViewsDatabase(':memory:');
    const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS, undefined, 5);
    await runner.start();
    await runner.waitFor(await append(history.slice(0, 300)));
    const read = new ReadModels(db, runner);

    const rebuilds = await Promise.all(NAMES.map((name) => runner.rebuild(name)));
    let appendedWhileRebuilding = 0;
    for (const event of history.slice(300)) {
      const rebuilding = (await runner.info()).some((i) => i.status === 'rebuilding');
      const position = await append([event]);
      await runner.waitFor(position);
      if (rebuilding) appendedWhileRebuilding++;
      // Read-your-writes holds throughout: the serving generation has taken the append in.
      expect((await runner.info()).every((i) => i.position >= position)).toBe(true);
      if (event.type === 'PositionStated') expect(read.statement((event.data as { statementId: string }).statementId)).not.toBeNull();
    }
    await Promise.all(rebuilds.map((r) => r.finished));
    expect(appendedWhileRebuilding).toBeGreaterThan(50);

    const last = await store.lastPosition();
    await runner.waitFor(last);
    const info = await runner.info();
    expect(info.map((i) => [i.name, i.status, i.position, i.lag, i.rebuild])).toEqual(NAMES.map((name) => [name, 'live', last, 0, null]));
    for (const name of NAMES) expect(runner.suffix(name)).toMatch(/_g2$/);

    const freshDb = openViewsDatabase(':memory:');
    const fresh = new ProjectionRunner(store, freshDb, ALL_PROJECTIONS);
    await fresh.start();
    const log = await store.readAll();
    expect(everyAnswer(read, log)).toEqual(everyAnswer(new ReadModels(freshDb, fresh), log));
    for (const name of NAMES) expect(viewRows(db, runner, name)).toEqual(viewRows(freshDb, fresh, name));
  });

  it('given appends in bursts that never wait, when a view is rebuilt meanwhile, then it still ends with every event', async () => {
    const history = variedHistory(400, 29);
    const { store, append } = recordingStore();
    const db = openViewsDatabase(':memory:');
    const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS, undefined, 5);
    await runner.start();
    await append(history.slice(0, 200));
    const { finished } = await runner.rebuild('statements');
    let done = false;
    void finished.then(() => (done = true));
    let burstsWhileRebuilding = 0;
    const writer = (async () => {
      for (let i = 200; i < history.length; i += 10) {
        if (!done) burstsWhileRebuilding++;
        await append(history.slice(i, i + 10));
      }
    })();
    await Promise.all([writer, finished]);
    expect(burstsWhileRebuilding).toBeGreaterThan(5);
    await runner.waitFor(await store.lastPosition());

    const freshDb = openViewsDatabase(':memory:');
    const fresh = new ProjectionRunner(store, freshDb, ALL_PROJECTIONS);
    await fresh.start();
    expect(viewRows(db, runner, 'statements')).toEqual(viewRows(freshDb, fresh, 'statements'));
    expect((await runner.info()).find((i) => i.name === 'statements')).toMatchObject({ status: 'live', position: await store.lastPosition(), lag: 0 });
  });
});
