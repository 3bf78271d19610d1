import { recordingStore, variedHistory, viewRows } from '@positions/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_PROJECTIONS } from './index';
import type { ViewsDatabase } from './projection';
import { ProjectionRunner } from './projection-runner';
import { openViewsDatabase } from './views-database';

const NAMES = ALL_PROJECTIONS.map((projection) => projection.name);

/*
 * A views file on a full disk refuses writes for a while (SQLITE_FULL). The batches it refused
 * must be taken in once it has room again: views that skipped them would answer without those
 * statements, with nothing to say so, until the service restarted.
 */
describe('a views file that cannot take a batch for a while (a full disk)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'views-full-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A runner on a views file of its own, and reference views that took the same log without trouble. */
  async function setUp() {
    const { store, append } = recordingStore();
    const history = variedHistory(120, 5);
    const cut = Math.floor(history.length / 2);
    await append(history.slice(0, cut));
    const db = openViewsDatabase(join(dir, 'views.db'));
    const errors: string[] = [];
    const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS, { log: () => undefined, error: (message) => errors.push(message) }, 20);
    await runner.start(0);
    const reference = async () => {
      const refDb = openViewsDatabase(':memory:');
      const refRunner = new ProjectionRunner(store, refDb, ALL_PROJECTIONS, undefined, 20);
      await refRunner.start(0);
      refRunner.stop();
      return NAMES.map((name) => viewRows(refDb, refRunner, name));
    };
    /** Once the file has room again: every view took the whole log in, as if nothing had failed. */
    const expectCaughtUp = async (last: number) => {
      await runner.waitFor(last);
      expect(NAMES.map((name) => viewRows(db, runner, name))).toEqual(await reference());
      expect((await runner.info()).map((view) => [view.name, view.status, view.position])).toEqual(NAMES.map((name) => [name, 'live', last]));
      // Each refused catch-up is logged, and tried again: no view failed for good.
      expect(errors.filter((message) => !/^catch-up failed: .*disk is full/.test(message))).toEqual([]);
      runner.stop();
      db.close();
    };
    return { runner, db, errors, appendRest: () => append(history.slice(cut)), expectCaughtUp };
  }

  const full = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

  it('given a commit the file refuses and rolls back itself, when it has room again, then the next catch-up takes those batches in again and the views match views that never failed', async () => {
    const { runner, db, appendRest, expectCaughtUp } = await setUp();
    const exec = db.exec.bind(db);
    let refusals = 1;
    jest.spyOn(db, 'exec').mockImplementation((sql: string): ViewsDatabase => {
      if (sql !== 'COMMIT' || refusals === 0) return exec(sql);
      refusals--;
      exec('ROLLBACK');
      throw full();
    });
    const last = await appendRest();
    await runner.catchUp().catch(() => undefined);
    expect(refusals).toBe(0);

    await expectCaughtUp(last);
  });

  it('given writes the file refuses inside a batch, when it has room again, then the views take the batch in and match views that never failed', async () => {
    const { runner, db, errors, appendRest, expectCaughtUp } = await setUp();
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const last = await appendRest();
    await expect(runner.catchUp()).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(errors.length).toBeGreaterThan(0);

    db.pragma('max_page_count = 1073741823');
    await expectCaughtUp(last);
  });
});
