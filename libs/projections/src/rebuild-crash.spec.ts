import { everyAnswer, recordingStore, variedHistory, viewTables } from '@positions/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { ALL_PROJECTIONS } from './index';
import { ProjectionRunner } from './projection-runner';
import { ReadModels } from './read-models';
import { openViewsDatabase } from './views-database';

const NAMES = ALL_PROJECTIONS.map((p) => p.name);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100_000; i++) {
    if (await condition()) return;
    await tick();
  }
  throw new Error(`never: ${what}`);
}

// Whole rebuilds of SQLite views: seconds on a busy 2-core machine, so more than jest's default 5 s.
jest.setTimeout(60_000);

describe('a crash in the middle of a rebuild', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'views-crash-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves the old views serving, and the next start resumes the rebuild where it stopped, then switches and drops the old tables', async () => {
    const history = variedHistory(330, 31);
    const { store, append } = recordingStore();
    await append(history.slice(0, 300));
    const file = join(dir, 'views.db');

    // The first process: views caught up, then every view rebuilding in batches of 5, stopped part-way.
    const firstDb = openViewsDatabase(file);
    const first = new ProjectionRunner(store, firstDb, ALL_PROJECTIONS, undefined, 5);
    await first.start();
    const log = await store.readAll();
    const total = log.at(-1)?.position as number;
    const before = everyAnswer(new ReadModels(firstDb, first), log);
    for (const name of NAMES) await first.rebuild(name);
    await until(async () => (await first.info()).every((i) => (i.rebuild?.position ?? 0) > 0), 'every rebuild has done a batch');
    first.stop();
    await sleep(20);
    const stoppedAt = (await first.info()).map((i) => i.rebuild?.position as number);
    for (const position of stoppedAt) {
      expect(position).toBeGreaterThan(0);
      expect(position).toBeLessThan(total);
    }
    expect(everyAnswer(new ReadModels(firstDb, first), log)).toEqual(before);
    expect(viewTables(firstDb, '*_g2')).not.toEqual([]);
    firstDb.close();

    // Meanwhile the log goes on.
    await append(history.slice(300));
    const lastPosition = await store.lastPosition();

    // The next process: the old generation still answers; the rebuild is found where it stopped.
    const db = openViewsDatabase(file);
    const second = new ProjectionRunner(store, db, ALL_PROJECTIONS, undefined, 5);
    const read = new ReadModels(db, second);
    expect(everyAnswer(read, log)).toEqual(before);
    const found = await second.info();
    expect(found.map((i) => [i.name, i.status, i.position, i.rebuild?.generation, i.rebuild?.position])).toEqual(
      NAMES.map((name, k) => [name, 'rebuilding', total, 2, stoppedAt[k]]),
    );

    await second.start();
    const resumed = await Promise.all(NAMES.map((name) => second.rebuild(name)));
    for (const [k, { progress }] of resumed.entries()) {
      expect(progress.generation).toBe(2);
      expect(progress.position).toBeGreaterThanOrEqual(stoppedAt[k]);
    }
    await Promise.all(resumed.map((r) => r.finished));

    expect((await second.info()).map((i) => [i.name, i.status, i.position, i.lag, i.rebuild])).toEqual(NAMES.map((name) => [name, 'live', lastPosition, 0, null]));
    const freshDb = openViewsDatabase(':memory:');
    const fresh = new ProjectionRunner(store, freshDb, ALL_PROJECTIONS);
    await fresh.start();
    const fullLog = await store.readAll();
    expect(everyAnswer(read, fullLog)).toEqual(everyAnswer(new ReadModels(freshDb, fresh), fullLog));
    expect(viewTables(db, '*_g1')).toEqual([]);
    // One table per view, three for stance counts (its statements, its changes per stance and per day), two for speakers (pairs and counts), and the search view's three text tables beside its versions.
    expect(viewTables(db, '*_g2')).toHaveLength(NAMES.length + 6);
    expect(db.prepare('SELECT COUNT(*) FROM projection_builds').pluck().get()).toBe(0);
    second.stop();
    db.close();
  });

  it('leaves the stored checkpoints of the serving views untouched, so a restart without a rebuild just catches up', async () => {
    const { store, append } = recordingStore();
    await append(variedHistory(120, 37));
    const file = join(dir, 'views.db');
    const firstDb = openViewsDatabase(file);
    const first = new ProjectionRunner(store, firstDb, ALL_PROJECTIONS, undefined, 5);
    await first.start();
    await first.rebuild('statements');
    await until(async () => ((await first.info()).find((i) => i.name === 'statements')?.rebuild?.position ?? 0) > 0, 'a batch done');
    first.stop();
    await sleep(20);
    firstDb.close();

    const db = openViewsDatabase(file);
    const checkpoints = db.prepare('SELECT name, generation, position FROM projection_checkpoints ORDER BY name').all();
    const last = await store.lastPosition();
    expect(checkpoints).toEqual([...NAMES].sort().map((name) => ({ name, generation: 1, position: last })));
    db.close();
  });
});
