import type { EventStore, ReadAllOptions } from '@positions/event-store';
import { recordingStore, variedHistory } from '@positions/testing';
import { ALL_PROJECTIONS } from './index';
import { ProjectionRunner } from './projection-runner';
import { openViewsDatabase } from './views-database';

/** The store with positions 100 apart, as on KurrentDB, where a position is a byte offset. */
function sparse(store: EventStore): EventStore {
  const wide = <T extends { position: number }>(event: T) => ({ ...event, position: event.position * 100 });
  return Object.assign(Object.create(store) as EventStore, {
    readAll: async (options: ReadAllOptions = {}) => (await store.readAll({ ...options, after: Math.ceil((options.after ?? 0) / 100) })).map(wide),
    lastPosition: async () => (await store.lastPosition()) * 100,
    subscribe: (listener: (position: number) => void) => store.subscribe((position) => listener(position * 100)),
  });
}

describe('the lag of a view', () => {
  it('counts the events the view has not taken in, not the difference of positions', async () => {
    const { store, append } = recordingStore();
    await append(variedHistory(20, 1));
    const db = openViewsDatabase(':memory:');
    const runner = new ProjectionRunner(sparse(store), db, ALL_PROJECTIONS);
    await runner.start(0);
    runner.stop();
    const before = (await store.readAll()).length;
    await append(variedHistory(3, 2));
    const added = (await store.readAll()).length - before;
    expect(added).toBeGreaterThan(0);
    expect((await runner.info()).map((view) => view.lag)).toEqual(Array(ALL_PROJECTIONS.length).fill(added));
    db.close();
  });

  it('given every view at the same position, then info() reads the gap after it once, not once per view', async () => {
    const { store, append } = recordingStore();
    await append(variedHistory(20, 1));
    const db = openViewsDatabase(':memory:');
    const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS);
    await runner.start(0);
    runner.stop();
    await append(variedHistory(3, 2));
    const reads = jest.spyOn(store, 'readAll');
    const lags = new Set((await runner.info()).map((view) => view.lag));
    expect(lags.size).toBe(1);
    expect([...lags][0]).toBeGreaterThan(0);
    expect(reads).toHaveBeenCalledTimes(1);
    db.close();
  });
});
