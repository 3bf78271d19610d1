import { everyAnswer, recordingStore, variedHistory, viewTables } from '@positions/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { ALL_PROJECTIONS } from './index';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { ReadModels } from './read-models';
import { openViewsDatabase } from './views-database';

const bumped = (names: string[]): Projection[] => ALL_PROJECTIONS.map((p) => (names.includes(p.name) ? { ...p, version: p.version + 1 } : p));

describe('a projection whose version is bumped in code', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'views-version-'));
    file = join(dir, 'views.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function firstRun(size: number) {
    const { store, append } = recordingStore();
    await append(variedHistory(size, 43));
    const db = openViewsDatabase(file);
    const runner = new ProjectionRunner(store, db, ALL_PROJECTIONS, undefined, 5);
    await runner.start();
    const log = await store.readAll();
    return { store, append, db, runner, log, before: everyAnswer(new ReadModels(db, runner), log) };
  }

  it('given views built by the code, when the service starts with statements one version up, then it is rebuilt from the log at start-up with identical answers and the old tables dropped', async () => {
    const { store, db: oldDb, runner: old, log, before } = await firstRun(250);
    old.stop();
    oldDb.close();

    const db = openViewsDatabase(file);
    const messages: string[] = [];
    const runner = new ProjectionRunner(store, db, bumped(['statements']), { log: (m) => messages.push(m), error: (m) => messages.push(m) });
    await runner.start();

    expect(everyAnswer(new ReadModels(db, runner), log)).toEqual(before);
    const last = log.at(-1)?.position;
    expect((await runner.info()).map((i) => [i.name, i.version, i.position, i.lag, i.status])).toEqual([
      ['actors', 1, last, 0, 'live'],
      ['topics', 1, last, 0, 'live'],
      ['members', 2, last, 0, 'live'],
      ['statements', 4, last, 0, 'live'],
      ['stance-counts', 5, last, 0, 'live'],
      ['statement-search', 2, last, 0, 'live'],
      ['topic-speakers', 1, last, 0, 'live'],
    ]);
    expect(runner.suffix('statements')).toBe('_statements_v4_g2');
    expect(runner.suffix('members')).toBe('_members_v2_g1');
    expect(runner.suffix('actors')).toBe('_actors_v1_g1');
    expect(viewTables(db, '*_v1_*')).toEqual(['topic_speaker_counts_topic_speakers_v1_g1', 'topic_speakers_topic_speakers_v1_g1', 'view_actors_actors_v1_g1', 'view_topics_topics_v1_g1']);
    expect(viewTables(db, 'search_versions_*')).toEqual(['search_versions_statement_search_v2_g1']);
    expect(messages).toEqual(
      expect.arrayContaining([
        'view statements is at version 3, the code at 4: rebuilding it from the log',
      ]),
    );
    runner.stop();
    db.close();
  });

  it('given a version bump, when the service starts again with the same code, then nothing is rebuilt', async () => {
    const { store, db: oldDb, runner: old } = await firstRun(60);
    old.stop();
    oldDb.close();
    for (let round = 0; round < 2; round++) {
      const db = openViewsDatabase(file);
      const runner = new ProjectionRunner(store, db, bumped(['statements']));
      await runner.start();
      expect(runner.suffix('statements')).toBe('_statements_v4_g2');
      runner.stop();
      db.close();
    }
  });

  // BUG: ProjectionRunner.openEntry ends a rebuild of an older version (projection_builds row)
  // but never drops that rebuild's tables, so they stay in the views file for good.
  it('given a rebuild interrupted at one version, when the service starts at the next, then no table of version 1 is left behind', async () => {
    const { store, db: oldDb, runner: old } = await firstRun(200);
    await old.rebuild('statements');
    for (let i = 0; i < 10_000 && ((await old.info()).find((x) => x.name === 'statements')?.rebuild?.position ?? 0) === 0; i++) await tick();
    old.stop();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(viewTables(oldDb, 'statement_versions_statements_v3_g*')).toEqual(['statement_versions_statements_v3_g1', 'statement_versions_statements_v3_g2']);
    oldDb.close();

    const db = openViewsDatabase(file);
    const runner = new ProjectionRunner(store, db, bumped(['statements']));
    await runner.start();
    expect(db.prepare('SELECT COUNT(*) FROM projection_builds').pluck().get()).toBe(0);
    expect(viewTables(db, 'statement_versions_*')).toEqual(['statement_versions_statements_v4_g2']);
    runner.stop();
    db.close();
  });

  it('given a rebuild interrupted at one version, when the service starts at the next, then the view is built one version up with identical answers', async () => {
    const { store, db: oldDb, runner: old, log, before } = await firstRun(200);
    await old.rebuild('statements');
    for (let i = 0; i < 10_000 && ((await old.info()).find((x) => x.name === 'statements')?.rebuild?.position ?? 0) === 0; i++) await tick();
    old.stop();
    await new Promise((resolve) => setTimeout(resolve, 20));
    oldDb.close();

    const db = openViewsDatabase(file);
    const runner = new ProjectionRunner(store, db, bumped(['statements']));
    await runner.start();
    expect((await runner.info()).find((i) => i.name === 'statements')).toMatchObject({ version: 4, status: 'live', rebuild: null, lag: 0 });
    expect(everyAnswer(new ReadModels(db, runner), log)).toEqual(before);
    runner.stop();
    db.close();
  });
});
