import type { EventStore } from '@positions/event-store';
import { notingPrepares, ofPosition, positionStated, recordingStore, variedHistory, viewRows, viewTables } from '@positions/testing';
import { BUILD_CACHE_KIB } from './generation';
import { ALL_PROJECTIONS } from './index';
import type { Projection, ViewsDatabase } from './projection';
import { ProjectionRunner } from './projection-runner';
import { ReadModels } from './read-models';
import { openViewsDatabase } from './views-database';

const cacheSize = (db: ViewsDatabase) => db.pragma('cache_size', { simple: true }) as number;

/** The views with what their query-index builds saw of the page cache, or a build that fails. */
function watchingBuilds(fail?: string): { projections: Projection[]; cacheDuringBuilds: number[] } {
  const cacheDuringBuilds: number[] = [];
  const projections = ALL_PROJECTIONS.map((projection): Projection => ({
    ...projection,
    queryIndexes(db, suffix) {
      cacheDuringBuilds.push(cacheSize(db));
      if (projection.name === fail) throw new Error('no space left for the index');
      projection.queryIndexes?.(db, suffix);
    },
  }));
  return { projections, cacheDuringBuilds };
}

const indexes = (db: ViewsDatabase) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all() as string[];

/** A store whose log can be read once, then fails as a process killed part-way would. */
function failingAfterOneRead(store: EventStore): EventStore {
  let reads = 0;
  return new Proxy(store, {
    get(target, key) {
      if (key === 'readAll') {
        return async (...args: Parameters<EventStore['readAll']>) => {
          if (++reads > 1) throw new Error('killed part-way');
          return target.readAll(...args);
        };
      }
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Views that followed a varied history as it was written: every index made when the tables were. */
async function followedLive() {
  const { store, append } = recordingStore();
  const db = openViewsDatabase(':memory:');
  const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS, undefined, 50);
  await runner.start(0);
  await runner.waitFor(await append(variedHistory(200, 3)));
  runner.stop();
  return { store, db, runner };
}

describe('query indexes of views built from the log', () => {
  it('given empty views caught up from position 0 in one go, then they have every index of views that followed the log live', async () => {
    const { store, db } = await followedLive();
    const fresh = openViewsDatabase(':memory:');
    const runner = new ProjectionRunner(store, fresh, ALL_PROJECTIONS, undefined, 50);
    await runner.start(0);
    runner.stop();
    expect(indexes(fresh)).toEqual(indexes(db));
    expect(indexes(fresh).some((name) => name.endsWith('_by_latest'))).toBe(true);
  });

  it('given a first catch-up killed part-way, then the next runner on those views builds the missing indexes as it opens them', async () => {
    const { store, db } = await followedLive();
    const fresh = openViewsDatabase(':memory:');
    await expect(new ProjectionRunner(failingAfterOneRead(store), fresh, ALL_PROJECTIONS, undefined, 50).start(0)).rejects.toThrow('killed part-way');
    expect(indexes(fresh)).not.toEqual(indexes(db));
    new ProjectionRunner(store, fresh, ALL_PROJECTIONS, undefined, 50);
    expect(indexes(fresh)).toEqual(indexes(db));
  });

  it('given a first catch-up killed part-way, then the next runner on those views ends with the rows of views that followed the log live', async () => {
    const { store, db, runner } = await followedLive();
    const fresh = openViewsDatabase(':memory:');
    await expect(new ProjectionRunner(failingAfterOneRead(store), fresh, ALL_PROJECTIONS, undefined, 50).start(0)).rejects.toThrow('killed part-way');
    const next = new ProjectionRunner(store, fresh, ALL_PROJECTIONS, undefined, 50);
    await next.start(0);
    next.stop();
    for (const { name } of ALL_PROJECTIONS) expect(viewRows(fresh, next, name)).toEqual(viewRows(db, runner, name));
  });

  it('given views built in bulk, one of them killed part-way and finished by the next runner, then they hold the tables of views that followed the log live and nothing they staged', async () => {
    const { store, db } = await followedLive();
    const fresh = openViewsDatabase(':memory:');
    const built = new ProjectionRunner(store, fresh, ALL_PROJECTIONS, undefined, 50);
    await built.start(0);
    built.stop();
    const killed = openViewsDatabase(':memory:');
    await expect(new ProjectionRunner(failingAfterOneRead(store), killed, ALL_PROJECTIONS, undefined, 50).start(0)).rejects.toThrow('killed part-way');
    expect(viewTables(killed, '*_staged_*')).toEqual(['stance_staged_stance_counts_v5_g1', 'topic_speakers_staged_topic_speakers_v1_g1']);
    const next = new ProjectionRunner(store, killed, ALL_PROJECTIONS, undefined, 50);
    await next.start(0);
    next.stop();
    expect(viewTables(fresh)).toEqual(viewTables(db));
    expect(viewTables(killed)).toEqual(viewTables(db));
  });

  it('given views built in bulk, then their indexes and derived rows are built with a page cache of at most BUILD_CACHE_KIB, and the views keep their own cache afterwards', async () => {
    const { store } = await followedLive();
    const fresh = openViewsDatabase(':memory:');
    const opened = cacheSize(fresh);
    const { projections, cacheDuringBuilds } = watchingBuilds();
    const runner = new ProjectionRunner(store, fresh, projections, undefined, 50);
    await runner.start(0);
    runner.stop();
    expect(opened).toBeLessThan(-BUILD_CACHE_KIB);
    expect(cacheDuringBuilds).toHaveLength(ALL_PROJECTIONS.length);
    expect(new Set(cacheDuringBuilds)).toEqual(new Set([-BUILD_CACHE_KIB]));
    expect(cacheSize(fresh)).toBe(opened);
  });

  it('given a build of query indexes that fails, then that view reports the failure, the others are built, and the views keep their own cache', async () => {
    const { store, db } = await followedLive();
    const fresh = openViewsDatabase(':memory:');
    const opened = cacheSize(fresh);
    const runner = new ProjectionRunner(store, fresh, watchingBuilds('statement-search').projections, undefined, 50);
    await runner.start(0);
    runner.stop();
    const info = await runner.info();
    expect(info.find((view) => view.name === 'statement-search')).toMatchObject({ status: 'failed', error: expect.stringContaining('no space left for the index') });
    expect(info.filter((view) => view.status === 'live')).toHaveLength(ALL_PROJECTIONS.length - 1);
    expect(indexes(fresh)).toEqual(indexes(db).filter((name) => !name.startsWith('search_versions') || name.endsWith('_by_statement')));
    expect(cacheSize(fresh)).toBe(opened);
  });

  it('given a views connection whose page cache is already small, then building the indexes leaves it as it is', async () => {
    const { store } = await followedLive();
    const fresh = openViewsDatabase(':memory:');
    fresh.pragma('cache_size = 100');
    const { projections, cacheDuringBuilds } = watchingBuilds();
    const runner = new ProjectionRunner(store, fresh, projections, undefined, 50);
    await runner.start(0);
    runner.stop();
    expect(new Set(cacheDuringBuilds)).toEqual(new Set([100]));
    expect(cacheSize(fresh)).toBe(100);
  });
});

describe('a position question on a long history', () => {
  it('given 300 statements by one actor on a topic, then it reads them latest first through one index and sorts none of them', async () => {
    const { store, append } = recordingStore();
    const db = openViewsDatabase(':memory:');
    const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS, undefined, 50);
    await runner.start(0);
    const days = Array.from({ length: 300 }, (_, i) => new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10));
    await runner.waitFor(await append(days.map((day, i) => ofPosition('long-talker', 'tariffs', positionStated({ statementId: `s${i}`, stance: 'support', statedOn: day })))));
    const prepared: string[] = [];
    const read = new ReadModels(notingPrepares(db, prepared), runner);

    expect(read.positionAt('long-talker', 'tariffs', Date.UTC(2021, 0, 1))?.statement?.statementId).toBe('s299');
    // Its first rows at once, then (the run of one stance is longer) all of them again, stepped.
    const questions = prepared.filter((sql) => /latest_ms DESC/.test(sql));
    expect(questions).toHaveLength(2);
    for (const question of questions) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${question}`).all({ actorId: 'long-talker', topicId: 'tariffs', at: 0, knownAt: 0 }) as { detail: string }[];
      const steps = plan.map((step) => step.detail).join('\n');
      expect(steps).toMatch(/USING INDEX \S+_by_latest/);
      // A sort would read and order the whole history before the first row: the early stop would save nothing.
      expect(steps).not.toMatch(/TEMP B-TREE/);
    }
    runner.stop();
  });
});
