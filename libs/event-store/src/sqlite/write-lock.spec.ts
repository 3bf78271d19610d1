import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { takeWriteLock, writeWhenUnlocked } from './write-lock';

/*
 * Another process holding a SQLite file's write lock (a CLI import beside the service) must not
 * stop the event loop of a process waiting for it: SQLite's busy handler sleeps on the thread.
 * Each connection here has a busy timeout of 20 s, so a wait inside SQLite would hold the test far
 * past the moments it checks and past jest's timeout.
 */
describe('write locks taken between turns of the event loop', () => {
  let dir: string;
  let db: Database.Database;
  let other: Database.Database;

  const open = (file: string) => {
    const connection = new Database(file, { timeout: 20_000 });
    connection.pragma('journal_mode = WAL');
    return connection;
  };
  const rows = (connection: Database.Database) => connection.prepare('SELECT n FROM t ORDER BY n').pluck().all();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'write-lock-'));
    db = open(join(dir, 'views.db'));
    db.exec('CREATE TABLE t (n INTEGER)');
    other = open(join(dir, 'views.db'));
  });
  afterEach(() => {
    db.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given another connection holds the lock, when a write waits for it, then timers run meanwhile and the write lands once the lock is free', async () => {
    other.exec('BEGIN IMMEDIATE');
    other.exec('INSERT INTO t VALUES (1)');
    let written = false;
    const write = writeWhenUnlocked(db, () => db.prepare('INSERT INTO t VALUES (2)').run(), 20_000).then(() => (written = true));
    const ticks: number[] = [];
    for (let i = 0; i < 3; i++) {
      await sleep(10);
      ticks.push(i);
    }
    expect(ticks).toEqual([0, 1, 2]);
    expect(written).toBe(false);
    other.exec('COMMIT');
    await write;
    expect(rows(other)).toEqual([1, 2]);
    // The connection's own busy timeout is as it was, and nothing is left open.
    expect(db.pragma('busy_timeout', { simple: true })).toBe(20_000);
    expect(db.inTransaction).toBe(false);
  });

  it('given the lock is held past the patience, then the write fails with SQLITE_BUSY and writes nothing', async () => {
    other.exec('BEGIN IMMEDIATE');
    await expect(writeWhenUnlocked(db, () => db.prepare('INSERT INTO t VALUES (2)').run(), 30)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(db.inTransaction).toBe(false);
    other.exec('COMMIT');
    expect(rows(db)).toEqual([]);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(20_000);
  });

  it('given a write that throws, then nothing of it is written and the lock is free again', async () => {
    const failing = writeWhenUnlocked(
      db,
      () => {
        db.prepare('INSERT INTO t VALUES (3)').run();
        throw new Error('refused');
      },
      1000,
    );
    await expect(failing).rejects.toThrow('refused');
    expect(db.inTransaction).toBe(false);
    other.exec('BEGIN IMMEDIATE');
    other.exec('COMMIT');
    expect(rows(db)).toEqual([]);
  });

  it('given this connection has a transaction open, then the write joins it as a savepoint and lands with its commit', async () => {
    db.exec('BEGIN IMMEDIATE');
    expect(await takeWriteLock(db, 1000)).toBe(false);
    await writeWhenUnlocked(db, () => db.prepare('INSERT INTO t VALUES (4)').run(), 1000);
    expect(db.inTransaction).toBe(true);
    expect(rows(other)).toEqual([]);
    db.exec('COMMIT');
    expect(rows(other)).toEqual([4]);
  });

  it('given the lock is free, then it is taken at once and held until the caller commits', async () => {
    expect(await takeWriteLock(db, 1000)).toBe(true);
    expect(db.inTransaction).toBe(true);
    other.pragma('busy_timeout = 0');
    expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    db.exec('COMMIT');
    other.exec('BEGIN IMMEDIATE');
    other.exec('COMMIT');
  });
});
