import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ofPosition, positionStated, recordingStore, rebuildEvery, variedHistory, viewRows, viewTables } from '@positions/testing';
import { suffixOf } from './checkpoints';
import { ALL_PROJECTIONS } from './index';
import type { Projection, RunnerLogger } from './projection';
import { ProjectionRunner } from './projection-runner';
import { ReadModels } from './read-models';
import { STANCE_COUNTS_VIEW, stanceCounts } from './stance-counts.projection';
import { statementSearch } from './statement-search.projection';
import { toMatchQuery } from './statement-search.match';
import { KNOWN_NOW } from './statements.reader';
import type { ViewsDatabase } from './projection';
import { openViewsDatabase } from './views-database';

const NAMES = ALL_PROJECTIONS.map((projection) => projection.name);
/** Every view, search writing the words of every 5 versions while built in bulk: several chunks in a build. */
const CHUNKED = ALL_PROJECTIONS.map((projection) => (projection.name === 'statement-search' ? statementSearch(5) : projection));

/** What searches for the history's words answer (its summaries are `said {i}`, its sources' titles `report`). */
function searches(db: ViewsDatabase, runner: ProjectionRunner) {
  const read = new ReadModels(db, runner);
  return ['said', 'report', '7', '42', '150'].map((words) => read.searchStatements({ match: toMatchQuery(words), knownAtMs: KNOWN_NOW, seq: KNOWN_NOW, includeRetracted: true, limit: 500 }).hits);
}
const NOON = Date.UTC(2025, 1, 26, 12);

/** A log written in two parts, and reference views that followed all of it live. */
async function twoParts() {
  const { store, append } = recordingStore();
  const history = variedHistory(200, 3);
  const cut = Math.floor(history.length / 3);
  const reference = { db: openViewsDatabase(':memory:'), runner: null as unknown as ProjectionRunner };
  const appendRest = async () => {
    const last = await append(history.slice(cut));
    reference.runner = new ProjectionRunner(store, reference.db, ALL_PROJECTIONS, undefined, 50);
    await reference.runner.start(0);
    reference.runner.stop();
    return last;
  };
  await append(history.slice(0, cut));
  return { store, append, appendRest, reference };
}

/** Views fed live up to the first part, as an import finds them. */
async function viewsOfFirstPart(store: Awaited<ReturnType<typeof twoParts>>['store'], logger?: RunnerLogger, projections: readonly Projection[] = ALL_PROJECTIONS, file = ':memory:') {
  const db = openViewsDatabase(file);
  const runner = new ProjectionRunner(store, db, projections, logger, 50);
  await runner.start(0);
  runner.stop();
  return { db, runner };
}

/** The process that was building in bulk is gone: its pid is that of a process that has exited. */
function diedWhileBuilding(db: ViewsDatabase): void {
  const { pid } = spawnSync(process.execPath, ['-e', '0']);
  db.prepare('UPDATE projection_bulk_builders SET pid = ?').run(pid);
}

/** The next runner to open the views, which resumes what a builder that died left, and has rebuilt every view it was told to. */
async function resumedByNextRunner(store: Awaited<ReturnType<typeof twoParts>>['store'], db: ViewsDatabase, projections: readonly Projection[]) {
  const next = new ProjectionRunner(store, db, projections, undefined, 50);
  await next.start(0);
  await rebuildEvery(next, NAMES);
  next.stop();
  return next;
}

describe('views built anew in bulk beside the serving ones (a large import)', () => {
  it('given views built in bulk while the rest of the log is written, then once finished they serve exactly the rows of views that followed the whole log live, and the old tables are gone', async () => {
    const { store, appendRest, reference } = await twoParts();
    const { db, runner } = await viewsOfFirstPart(store, undefined, CHUNKED);
    runner.buildInBulk();
    await runner.waitFor(await appendRest());
    await runner.finishBuilds();

    for (const name of NAMES) expect(viewRows(db, runner, name)).toEqual(viewRows(reference.db, reference.runner, name));
    expect(searches(db, runner)).toEqual(searches(reference.db, reference.runner));
    expect(searches(db, runner)[0].length).toBeGreaterThan(50);
    expect(viewTables(db, '*_g1')).toEqual([]);
    expect(viewTables(db).map((table) => table.replace(/_g2(?=_|$)/, '_g1'))).toEqual(viewTables(reference.db));
    expect((await runner.info()).map((view) => view.status)).toEqual(NAMES.map(() => 'live'));
  });

  it('given views being built in bulk, then the serving views answer as they stood until the builds finish, and report that they are rebuilding', async () => {
    const { store, append } = recordingStore();
    await append([ofPosition('donald-trump', 'tariffs', positionStated({ statementId: 's1', stance: 'support', statedOn: '2025-02-01' }))]);
    const { db, runner } = await viewsOfFirstPart(store);
    const read = new ReadModels(db, runner);
    const standsBehind = runner.knownThrough();
    runner.buildInBulk();
    await runner.waitFor(await append([ofPosition('donald-trump', 'tariffs', positionStated({ statementId: 's2', stance: 'oppose', statedOn: '2025-02-20' }))]));
    await runner.catchUp();

    expect(read.positionAt('donald-trump', 'tariffs', NOON)?.statement?.statementId).toBe('s1');
    expect(runner.knownThrough()).toBe(standsBehind);
    expect(new Set((await runner.info()).map((view) => view.status))).toEqual(new Set(['rebuilding']));
    await runner.finishBuilds();
    expect(read.positionAt('donald-trump', 'tariffs', NOON)?.statement).toMatchObject({ statementId: 's2' });
    const [last] = await store.readAll({ after: (await store.lastPosition()) - 1 });
    expect(runner.knownThrough()).toBe(Date.parse(last.recordedAt));
    expect(runner.knownThrough()).toBeGreaterThan(standsBehind ?? Infinity);
  });

  it('given an empty record whose views are built in bulk, then the views stand behind no record time until the builds finish', async () => {
    const { store, append } = recordingStore();
    const { runner } = await viewsOfFirstPart(store);
    runner.buildInBulk();
    await runner.waitFor(await append([ofPosition('donald-trump', 'tariffs', positionStated({ statementId: 's1', stance: 'support', statedOn: '2025-02-01' }))]));
    await runner.catchUp();
    expect(runner.knownThrough()).toBeNull();
    await runner.finishBuilds();
    const [last] = await store.readAll();
    expect(runner.knownThrough()).toBe(Date.parse(last.recordedAt));
  });

  it('given a build in bulk interrupted before it finished, then the next runner resumes it event by event and ends with the rows of views that followed the log live, nothing staged left', async () => {
    const { store, appendRest, reference } = await twoParts();
    const { db, runner } = await viewsOfFirstPart(store, undefined, CHUNKED);
    runner.buildInBulk();
    await runner.waitFor(await appendRest());
    expect(viewTables(db, '*_staged_*')).toHaveLength(2);
    expect(viewTables(db, 'search_filled_*')).toHaveLength(1);
    diedWhileBuilding(db);

    const next = await resumedByNextRunner(store, db, CHUNKED);
    for (const name of NAMES) expect(viewRows(db, next, name)).toEqual(viewRows(reference.db, reference.runner, name));
    expect(searches(db, next)).toEqual(searches(reference.db, reference.runner));
    expect(viewTables(db, '*_staged_*')).toEqual([]);
    expect(viewTables(db, 'search_filled_*')).toEqual([]);
    expect(viewTables(db, '*_g1')).toEqual([]);
  });

  it('given a build in bulk under way in a process that runs, then another runner opening the views leaves it alone, refuses to rebuild those views, and follows the switch when it ends', async () => {
    const { store, appendRest, reference } = await twoParts();
    const { db, runner } = await viewsOfFirstPart(store, undefined, CHUNKED);
    runner.buildInBulk();
    await runner.waitFor(await appendRest());

    const other = new ProjectionRunner(store, db, CHUNKED, undefined, 50);
    await other.start(0);
    expect(viewTables(db, '*_staged_*')).toHaveLength(2);
    expect(viewTables(db, 'search_filled_*')).toHaveLength(1);
    await expect(other.rebuild('stance-counts')).rejects.toMatchObject({ code: 'PROJECTION.BUILD_UNDER_WAY', kind: 'already-exists', message: expect.stringContaining(`pid ${process.pid}`) });
    await expect(runner.rebuild('stance-counts')).rejects.toMatchObject({ code: 'PROJECTION.BUILD_UNDER_WAY' });
    expect(other.suffix('actors')).toMatch(/_g1$/);

    await runner.finishBuilds();
    await other.catchUp();
    other.stop();
    expect(other.suffix('actors')).toMatch(/_g2$/);
    for (const name of NAMES) expect(viewRows(db, other, name)).toEqual(viewRows(reference.db, reference.runner, name));
    expect(searches(db, other)).toEqual(searches(reference.db, reference.runner));
    expect(db.prepare('SELECT COUNT(*) FROM projection_bulk_builders').pluck().get()).toBe(0);
  });

  it('given a build in bulk under way in a process that runs, then another runner feeds nothing meanwhile: its serving views answer as they stood, and after the switch it answers from the new build, with what was appended during it', async () => {
    const { store, append, appendRest } = await twoParts();
    const { db, runner } = await viewsOfFirstPart(store);
    runner.buildInBulk();
    const other = new ProjectionRunner(store, db, ALL_PROJECTIONS, undefined, 50);
    await other.start(0);
    const asStood = NAMES.map((name) => viewRows(db, other, name));
    const knownThrough = other.knownThrough();

    await appendRest();
    const during = await append([ofPosition('actor-during', 'topic-during', positionStated({ statementId: 'during-build', stance: 'yes', statedOn: '2025-02-26' }))]);
    await other.waitFor(during);
    await other.catchUp();
    expect(NAMES.map((name) => viewRows(db, other, name))).toEqual(asStood);
    expect(other.knownThrough()).toBe(knownThrough);
    expect(new ReadModels(db, other).statement('during-build')).toBeNull();

    await runner.finishBuilds();
    await other.catchUp();
    other.stop();
    expect(other.suffix('statements')).toMatch(/_g2$/);
    expect(new ReadModels(db, other).statement('during-build')).toMatchObject({ statementId: 'during-build', actorId: 'actor-during' });
    expect((await other.info()).map((view) => [view.name, view.position, view.lag])).toEqual(NAMES.map((name) => [name, during, 0]));
  });

  it('given views built in bulk, then they switch together once all are built: while the builder builds what their queries read, no view has switched, so another process has none to feed and waits on no lock', async () => {
    const { store, appendRest } = await twoParts();
    const builders: number[] = [];
    let db: ViewsDatabase | null = null;
    const logger: RunnerLogger = {
      log: (message) => {
        if (db && /building what its queries read/.test(message)) builders.push(db.prepare('SELECT COUNT(*) FROM projection_bulk_builders').pluck().get() as number);
      },
      error: () => undefined,
    };
    const first = await viewsOfFirstPart(store, logger);
    db = first.db;
    first.runner.buildInBulk();
    await first.runner.waitFor(await appendRest());
    await first.runner.finishBuilds();

    expect(builders).toEqual(NAMES.map(() => NAMES.length));
    expect(db.prepare('SELECT COUNT(*) FROM projection_bulk_builders').pluck().get()).toBe(0);
    for (const name of NAMES) expect(first.runner.suffix(name)).toMatch(/_g2$/);
  });

  it('given a view whose build in bulk fails, then it is dropped with a logged reason, its serving generation is fed instead, and the other views switch', async () => {
    const { store, appendRest, reference } = await twoParts();
    let armed = false;
    const failing = ALL_PROJECTIONS.map((projection): Projection =>
      projection.name !== 'statements'
        ? projection
        : {
            ...projection,
            open(db, suffix, bulk) {
              const apply = projection.open(db, suffix, bulk);
              if (!bulk || !armed) return apply;
              return Object.assign(() => {
                throw new Error('disk full');
              }, { flush: apply.flush });
            },
          },
    );
    const errors: string[] = [];
    const { db, runner } = await viewsOfFirstPart(store, { log: () => undefined, error: (message) => errors.push(message) }, failing);
    armed = true;
    runner.buildInBulk();
    await runner.waitFor(await appendRest());
    await runner.finishBuilds();

    expect(errors).toEqual([expect.stringMatching(/^view statements: building it in bulk failed at position \d+ \(disk full\); the serving generation is fed instead$/)]);
    expect(runner.suffix('statements')).toMatch(/_g1$/);
    expect(runner.suffix('actors')).toMatch(/_g2$/);
    for (const name of NAMES) expect(viewRows(db, runner, name)).toEqual(viewRows(reference.db, reference.runner, name));
    expect((await runner.info()).map((view) => view.status)).toEqual(NAMES.map(() => 'live'));
  });
});

describe('the stance counts of views built in bulk, derived on a thread of their own (decision 0054)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'positions-bulk-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Every view, the stance counts' thread writing its scratch file under `scratch`. */
  const withScratch = (scratch: string) => ALL_PROJECTIONS.map((projection) => (projection.name === STANCE_COUNTS_VIEW ? stanceCounts(scratch) : projection));

  /** Views of the first part in a views file (a thread cannot open a database in memory), built in bulk through the rest. */
  async function builtInBulk(scratch: string, logger: RunnerLogger) {
    const { store, appendRest, reference } = await twoParts();
    const { db, runner } = await viewsOfFirstPart(store, logger, withScratch(scratch), join(dir, 'views.db'));
    runner.buildInBulk();
    await runner.waitFor(await appendRest());
    return { store, db, runner, reference };
  }

  it('given views built in bulk in a views file, then the stance counts are derived on a thread while the other views build what their queries read, and every view then serves exactly the rows of views that followed the log live, no scratch file left', async () => {
    const scratch = join(dir, 'scratch');
    mkdirSync(scratch);
    const building: string[] = [];
    const errors: string[] = [];
    const logger = {
      log: (message: string) => {
        const view = /^view (\S+): building what its queries read$/.exec(message)?.[1];
        if (view) building.push(`${view}: ${readdirSync(scratch).length} scratch folder(s)`);
      },
      error: (message: string) => errors.push(message),
    };
    const { db, runner, reference } = await builtInBulk(scratch, logger);
    await runner.finishBuilds();

    const others = NAMES.filter((name) => name !== STANCE_COUNTS_VIEW);
    expect(building).toEqual([`${STANCE_COUNTS_VIEW}: 0 scratch folder(s)`, ...others.map((name) => `${name}: 1 scratch folder(s)`)]);
    expect(errors).toEqual([]);
    for (const name of NAMES) expect(viewRows(db, runner, name)).toEqual(viewRows(reference.db, reference.runner, name));
    expect((viewRows(db, runner, STANCE_COUNTS_VIEW) as { deltas: unknown[] }).deltas.length).toBeGreaterThan(10);
    expect(readdirSync(scratch)).toEqual([]);
    expect((await runner.info()).map((view) => view.status)).toEqual(NAMES.map(() => 'live'));
  });

  it('given the thread cannot derive the stance counts (its scratch folder is missing), then the views thread derives them, the reason is logged, and every view serves exactly the rows of views that followed the log live', async () => {
    const errors: string[] = [];
    const { db, runner, reference } = await builtInBulk(join(dir, 'missing'), { log: () => undefined, error: (message) => errors.push(message) });
    await runner.finishBuilds();

    expect(errors).toEqual([expect.stringMatching(/^view stance-counts: its thread failed \(no scratch folder could be made in \S+\/missing \(ENOENT: .*\)\); what its queries read is built here instead$/)]);
    for (const name of NAMES) expect(viewRows(db, runner, name)).toEqual(viewRows(reference.db, reference.runner, name));
    expect((await runner.info()).map((view) => view.status)).toEqual(NAMES.map(() => 'live'));
  });

  it('given a build in bulk killed after its stance statements were settled and before the thread\'s counts were copied in, then the next runner derives them and ends with the rows of views that followed the log live', async () => {
    const scratch = join(dir, 'scratch');
    mkdirSync(scratch);
    const { store, db, reference } = await builtInBulk(scratch, { log: () => undefined, error: () => undefined });
    const build = db.prepare('SELECT version, generation FROM projection_builds WHERE name = ?').get(STANCE_COUNTS_VIEW) as { version: number; generation: number };
    const suffix = suffixOf(STANCE_COUNTS_VIEW, build.version, build.generation);
    // Settled and derived on the thread; the rest, which copies them in, never runs.
    await stanceCounts(scratch).queryIndexesBeside?.(db, suffix);
    expect(viewTables(db, 'stance_staged_*')).toEqual([]);
    expect(db.prepare(`SELECT COUNT(*) FROM stance_deltas${suffix}`).pluck().get()).toBe(0);
    diedWhileBuilding(db);

    const next = await resumedByNextRunner(store, db, ALL_PROJECTIONS);
    for (const name of NAMES) expect(viewRows(db, next, name)).toEqual(viewRows(reference.db, reference.runner, name));
    expect(viewTables(db, '*_staged_*')).toEqual([]);
  });
});
