import { everyAnswer, recordingStore, variedHistory } from '@positions/testing';
import { setImmediate as tick } from 'node:timers/promises';
import { ALL_PROJECTIONS } from './index';
import type { ViewsDatabase } from './projection';
import { ProjectionRunner } from './projection-runner';
import { ReadModels } from './read-models';
import { bindViewsToStore } from './store-identity';
import { openViewsDatabase } from './views-database';

/** Starts the views of `db` on `store` as the service does: bound to the store, then caught up. */
async function serve(db: ViewsDatabase, store: ReturnType<typeof recordingStore>['store']) {
  const reset = await bindViewsToStore(db, store, ALL_PROJECTIONS);
  const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS, undefined, 7);
  await runner.start(0);
  const log = await store.readAll();
  return { reset, runner, answers: log.length > 0 ? everyAnswer(new ReadModels(db, runner), log) : null };
}

describe('a views file bound to the log it was built from', () => {
  let db: ViewsDatabase;
  beforeEach(() => {
    db = openViewsDatabase(':memory:');
  });
  afterEach(() => db.close());

  it('given views built from one store, when the service starts on another (the same events at other positions), then they are rebuilt from the new log', async () => {
    const first = recordingStore();
    await first.append(variedHistory(120, 7));
    (await serve(db, first.store)).runner.stop();

    // The same history moved to another store whose positions start elsewhere.
    const second = recordingStore();
    await second.append(variedHistory(15, 99));
    await second.append(variedHistory(120, 7));
    const fresh = openViewsDatabase(':memory:');
    const expected = (await serve(fresh, second.store)).answers;
    fresh.close();

    const { reset, runner, answers } = await serve(db, second.store);
    runner.stop();
    expect(reset).toBe(true);
    expect(answers).toEqual(expected);
  });

  it('keeps views built from the same store, including one that was empty when they were bound', async () => {
    const { store, append } = recordingStore();
    const started = await serve(db, store);
    await append(variedHistory(40, 3));
    await started.runner.catchUp();
    await tick();
    started.runner.stop();
    const again = await serve(db, store);
    again.runner.stop();
    expect(again.reset).toBe(false);
  });

  it('rebuilds views of a file that recorded no store (written before the binding existed)', async () => {
    const { store, append } = recordingStore();
    await append(variedHistory(30, 5));
    const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS);
    await runner.start(0);
    runner.stop();
    expect(await bindViewsToStore(db, store, ALL_PROJECTIONS)).toBe(true);
  });
});
