import { MemoryEventStore } from '@positions/event-store';
import { ofPosition, positionStated } from '@positions/testing';
import { ALL_PROJECTIONS } from './index';
import { ProjectionRunner } from './projection-runner';
import { openViewsDatabase } from './views-database';

/* A long catch-up (another process's import, a view built anew) must not keep requests and timers waiting until it ends. */

describe('catching up a long log', () => {
  it('lets other work run between batches', async () => {
    let now = Date.parse('2025-03-01T10:00:00.000Z');
    const store = new MemoryEventStore({ clock: () => new Date(now) });
    for (let i = 0; i < 12; i++) {
      const event = ofPosition(`actor-${i}`, 'russia-sanctions-relief', positionStated({ statementId: `s-${i}`, stance: 'not-yet', statedOn: '2025-02-26' }));
      await store.append(event.streamId, [{ type: event.type, schemaVersion: 1, data: event.data }], 'any', { recordedBy: 'test', correlationId: 'c', causationId: null });
      now += 1000;
    }
    const runner = new ProjectionRunner(store, openViewsDatabase(':memory:'), ALL_PROJECTIONS, undefined, 2);
    const seenMidway: (number | null)[] = [];
    const caughtUp = runner.catchUp();
    // Scheduled after the catch-up began: runs only if the catch-up gives the event loop a turn before it ends.
    setImmediate(() => seenMidway.push(runner.knownThrough()));
    await caughtUp;
    expect(seenMidway).toHaveLength(1);
    expect(seenMidway[0]).not.toBeNull();
    expect(seenMidway[0]).toBeLessThan(runner.knownThrough() ?? 0);
  });
});
