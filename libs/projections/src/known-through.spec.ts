import { MemoryEventStore } from '@positions/event-store';
import { ofPosition, positionStated } from '@positions/testing';
import { ALL_PROJECTIONS } from './index';
import { ProjectionRunner } from './projection-runner';
import { openViewsDatabase } from './views-database';

/* What the views stand behind (knownThrough): never a record time some of whose events they lack. */

const RECORDED = '2025-03-01T10:00:00.000Z';

describe('knownThrough: the record time every view has taken in all events of', () => {
  it('given one commit read in two batches, then between them it is a millisecond before that commit, and its recordedAt once read whole', async () => {
    const store = new MemoryEventStore({ clock: () => new Date(RECORDED) });
    const events = ['a', 'b', 'c'].map((id) => ofPosition('donald-trump', 'russia-sanctions-relief', positionStated({ statementId: id, stance: 'not-yet', statedOn: '2025-02-26' })));
    await store.append(events[0].streamId, events.map(({ type, data }) => ({ type, schemaVersion: 1, data })), 'any', { recordedBy: 'test', correlationId: 'c', causationId: null });
    let release: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    const readAll: MemoryEventStore['readAll'] = async (query) => {
      if (++reads === 2) await paused;
      return store.readAll(query);
    };
    const runner = new ProjectionRunner(Object.assign(Object.create(store) as MemoryEventStore, { readAll }), openViewsDatabase(':memory:'), ALL_PROJECTIONS, undefined, 2);
    expect(runner.knownThrough()).toBeNull();
    const caughtUp = runner.catchUp();
    while (reads < 2) await new Promise((resolve) => setImmediate(resolve));
    expect(runner.knownThrough()).toBe(Date.parse(RECORDED) - 1);
    release();
    await caughtUp;
    expect(runner.knownThrough()).toBe(Date.parse(RECORDED));
  });
});
