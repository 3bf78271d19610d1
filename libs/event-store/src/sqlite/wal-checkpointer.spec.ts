import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteEventStore } from './sqlite-event-store';
import { WalCheckpointer } from './wal-checkpointer';

/** Resolves once `condition` holds; fails after `ms` (a thread that never does its work). */
async function eventually(condition: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('the condition never held');
    await sleep(20);
  }
}

// The thread's work is awaited, on a machine that may be busy: more than jest's default 5 s.
jest.setTimeout(30_000);

const meta = { recordedBy: 'recorder:test', correlationId: 'corr', causationId: null };
/** Rows of 3 KiB: 2,000 of them are ~1,500 pages, past SQLite's threshold of 1,000. */
const WIDE = 'x'.repeat(3072);

describe('write-ahead logs copied back on a thread of its own', () => {
  let dir: string;
  let checkpoints: WalCheckpointer;
  const errors: Error[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'));
    errors.length = 0;
    checkpoints = new WalCheckpointer((error) => errors.push(error), 20);
  });
  afterEach(async () => {
    await checkpoints.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const walFile = (file: string) => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (v TEXT)');
    return db;
  };
  const fill = (db: Database.Database, rows: number) => {
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run(WIDE);
    })();
  };

  it('given a connection handed to it, then its commits copy nothing back, and the thread copies the pages into the file', async () => {
    const file = join(dir, 'views.db');
    const db = walFile(file);
    checkpoints.add(db);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = statSync(file).size;
    fill(db, 2000);
    // The file grows when its pages are copied back from the log: by the thread, since the connection does not.
    await eventually(() => statSync(file).size > before + 5_000_000);
    expect(db.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(2000);
    expect(errors).toEqual([]);
    db.close();
  });

  it('given it is closed, or the connection is taken back, then the connection checkpoints by itself again', async () => {
    const one = walFile(join(dir, 'one.db'));
    const two = walFile(join(dir, 'two.db'));
    checkpoints.add(one);
    checkpoints.add(two);
    checkpoints.remove(one);
    expect(one.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(two.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await checkpoints.close();
    expect(two.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    one.close();
    two.close();
  });

  it('given in-memory and rollback-journal files, then they are left as they are', () => {
    const memory = new Database(':memory:');
    const journal = new Database(join(dir, 'journal.db'));
    checkpoints.add(memory);
    checkpoints.add(journal);
    expect(memory.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(journal.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    memory.close();
    journal.close();
  });

  it('given the thread fails (its file is gone), then every connection gets its own checkpoints back and the failure is reported', async () => {
    const db = walFile(join(dir, 'kept.db'));
    checkpoints.add(db);
    checkpoints.add({ memory: false, readonly: false, name: join(dir, 'missing.db'), pragma: (sql: string) => (sql === 'journal_mode' ? 'wal' : 0) } as unknown as Database.Database);
    await eventually(() => errors.length > 0);
    expect(errors[0].message).toMatch(/missing\.db: .*SQLITE_CANTOPEN/);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });

  it('given the embedded store opened with it, then its appends leave the copying to the thread until the store closes', async () => {
    const file = join(dir, 'events.db');
    const store = SqliteEventStore.open(file, { checkpoints });
    const before = statSync(file).size;
    await store.append('wide', Array.from({ length: 2000 }, () => ({ type: 'Wide', schemaVersion: 1, data: { v: WIDE } })), -1, meta);
    await eventually(() => statSync(file).size > before + 5_000_000);
    expect((await store.readAll({ limit: 5000 })).length).toBe(2000);
    await store.close();
  });
});
