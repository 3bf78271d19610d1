import { ofPosition, positionStated, recordingStore } from '@positions/testing';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ALL_PROJECTIONS } from './index';
import { ProjectionRunner } from './projection-runner';
import { ReadModels } from './read-models';
import { openViewsDatabase } from './views-database';

/*
 * A CLI import beside the service holds the views file's write lock for seconds (its views
 * thread's batches, and its last indexes). The service's catch-up then waits for the lock, and
 * must keep answering requests meanwhile: SQLite's busy handler would sleep on its only thread.
 */
describe('a catch-up while another process holds the views file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'views-locked-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const stated = (n: number) => ofPosition(`actor-${n}`, 'russia-sanctions-relief', positionStated({ statementId: `s-${n}`, stance: 'not-yet', statedOn: '2025-02-26' }));

  it('given the lock is held, when an append is caught up, then timers run while it waits and the views take the append in once the lock is free', async () => {
    const { store, append } = recordingStore();
    const file = join(dir, 'views.db');
    const db = openViewsDatabase(file);
    const errors: string[] = [];
    const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS, { log: () => undefined, error: (message) => errors.push(message) });
    await runner.start(0);
    await runner.waitFor(await append([stated(1)]));
    const read = new ReadModels(db, runner);

    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const position = await append([stated(2)]);
    let caughtUp = false;
    const catchUp = runner.waitFor(position).then(() => (caughtUp = true));
    const ticks: number[] = [];
    for (let i = 0; i < 3; i++) {
      await sleep(10);
      ticks.push(i);
    }
    expect(ticks).toEqual([0, 1, 2]);
    expect(caughtUp).toBe(false);
    expect(read.statement('s-2')).toBeNull();

    other.exec('COMMIT');
    other.close();
    await catchUp;
    expect(read.statement('s-2')).toMatchObject({ statementId: 's-2', actorId: 'actor-2' });
    expect((await runner.info()).map((view) => [view.name, view.status, view.position])).toEqual(ALL_PROJECTIONS.map((p) => [p.name, 'live', position]));
    expect(errors).toEqual([]);
    runner.stop();
    db.close();
  });
});
