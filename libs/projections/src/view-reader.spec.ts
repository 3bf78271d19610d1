import type Database from 'better-sqlite3';
import { documentTable } from './document-view';
import type { ViewsDatabase } from './projection';
import { type ServingViews, ViewReader } from './view-reader';
import { openViewsDatabase } from './views-database';

const SUFFIX = '_v1_g1';

/** A views file with an actors document view of `count` rows, and a count of the rows read from it. */
function actorsView(count: number) {
  const db = openViewsDatabase(':memory:');
  const table = documentTable('actors', SUFFIX);
  db.exec(`CREATE TABLE ${table} (key TEXT PRIMARY KEY, row TEXT NOT NULL) WITHOUT ROWID`);
  const insert = db.prepare(`INSERT INTO ${table} (key, row) VALUES (?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`actor-${i}`, JSON.stringify({ id: `actor-${i}`, name: `Actor ${i}`, registered: true, affiliations: [] }));
  })();
  const reads = { rows: 0 };
  const counted = new Proxy(db, {
    get(target, key) {
      if (key !== 'prepare') return Reflect.get(target, key).bind(target);
      return (sql: string) => {
        const statement = target.prepare(sql);
        const get = statement.get.bind(statement);
        statement.get = ((...params: unknown[]) => (reads.rows++, get(...params))) as Database.Statement['get'];
        return statement;
      };
    },
  }) as ViewsDatabase;
  const views: ServingViews = { suffix: () => SUFFIX, followSwitches: () => undefined, versionOf: () => 0, knownThrough: () => null };
  return { reader: new ViewReader(counted, views), reads };
}

describe('documents read by questions', () => {
  it('given 25,000 actors, when each is asked about twice in turn, then the second round reads none of them again', () => {
    const { reader, reads } = actorsView(25_000);
    const ask = (i: number) => reader.document<{ name: string }>('actors', `actor-${i}`)?.name;
    for (let i = 0; i < 25_000; i++) expect(ask(i)).toBe(`Actor ${i}`);
    expect(reads.rows).toBe(25_000);
    for (let i = 0; i < 25_000; i++) expect(ask(i)).toBe(`Actor ${i}`);
    expect(reads.rows).toBe(25_000);
  });

  it('given an unknown actor asked twice, then it is read once and answers null both times', () => {
    const { reader, reads } = actorsView(1);
    expect(reader.document('actors', 'nobody')).toBeNull();
    expect(reader.document('actors', 'nobody')).toBeNull();
    expect(reads.rows).toBe(1);
  });
});
