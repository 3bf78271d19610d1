import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '../event-store.port';
import { classifySqliteError, toStoreError } from './sqlite-errors';

/** Runs `provoke` and returns what it threw. */
function thrownBy(provoke: () => unknown): unknown {
  try {
    provoke();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('classifySqliteError', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-errors-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('on errors provoked from a real database', () => {
    it('a write to a read-only connection is an outage', () => {
      const file = join(dir, 'ro.db');
      new Database(file).exec('CREATE TABLE t (x INTEGER)').close();
      const readonly = new Database(file, { readonly: true });
      const error = thrownBy(() => readonly.exec('INSERT INTO t VALUES (1)'));
      readonly.close();
      expect(classifySqliteError(error)).toEqual({ kind: 'unavailable', code: 'SQLITE_READONLY', reason: 'the database is read-only' });
    });

    it('a file that is not a database is an outage', () => {
      const file = join(dir, 'junk.db');
      writeFileSync(file, 'not a database '.repeat(200));
      const db = new Database(file);
      const error = thrownBy(() => db.pragma('journal_mode = WAL'));
      db.close();
      expect(classifySqliteError(error)).toMatchObject({ kind: 'unavailable', code: 'SQLITE_NOTADB' });
    });

    it('a file that cannot be opened is an outage', () => {
      const error = thrownBy(() => new Database(join(dir, 'missing.db'), { readonly: true }));
      expect(classifySqliteError(error)).toMatchObject({ kind: 'unavailable', code: 'SQLITE_CANTOPEN' });
    });

    it('a write lock held by another connection past the timeout is an outage', () => {
      const file = join(dir, 'busy.db');
      const holder = new Database(file);
      holder.exec('CREATE TABLE t (x INTEGER); BEGIN IMMEDIATE');
      const other = new Database(file, { timeout: 10 });
      const error = thrownBy(() => other.exec('BEGIN IMMEDIATE'));
      holder.exec('ROLLBACK');
      other.close();
      holder.close();
      expect(classifySqliteError(error)).toMatchObject({ kind: 'unavailable', code: 'SQLITE_BUSY' });
    });

    it('a UNIQUE violation on (stream_id, stream_position) is a stream conflict', () => {
      const db = new Database(':memory:');
      db.exec('CREATE TABLE events (event_id TEXT UNIQUE, stream_id TEXT, stream_position INTEGER, UNIQUE (stream_id, stream_position))');
      db.exec("INSERT INTO events VALUES ('e1', 's', 0)");
      const samePosition = thrownBy(() => db.exec("INSERT INTO events VALUES ('e2', 's', 0)"));
      const sameEventId = thrownBy(() => db.exec("INSERT INTO events VALUES ('e1', 's', 1)"));
      db.close();
      expect(classifySqliteError(samePosition)).toEqual({ kind: 'stream-conflict' });
      expect(classifySqliteError(sameEventId)).toEqual({ kind: 'other' });
    });

    it('a syntax error is a bug, not an outage', () => {
      const db = new Database(':memory:');
      const error = thrownBy(() => db.exec('SELEKT 1'));
      db.close();
      expect(classifySqliteError(error)).toEqual({ kind: 'other' });
    });
  });

  describe('on result codes that are hard to provoke in a test', () => {
    it.each([
      'SQLITE_READONLY_DBMOVED',
      'SQLITE_FULL',
      'SQLITE_IOERR',
      'SQLITE_IOERR_WRITE',
      'SQLITE_IOERR_FSYNC',
      'SQLITE_CANTOPEN_ISDIR',
      'SQLITE_BUSY_SNAPSHOT',
      'SQLITE_LOCKED',
      'SQLITE_LOCKED_SHAREDCACHE',
      'SQLITE_CORRUPT',
      'SQLITE_PERM',
    ])('%s is an outage', (code) => {
      expect(classifySqliteError(new Database.SqliteError('boom', code))).toMatchObject({ kind: 'unavailable', code });
    });

    it.each(['SQLITE_ERROR', 'SQLITE_CONSTRAINT_CHECK', 'SQLITE_CONSTRAINT_NOTNULL', 'SQLITE_MISMATCH', 'SQLITE_RANGE'])(
      '%s is not an outage',
      (code) => {
        expect(classifySqliteError(new Database.SqliteError('boom', code))).toEqual({ kind: 'other' });
      },
    );

    it('an error that is not from SQLite is not classified', () => {
      expect(classifySqliteError(Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' }))).toEqual({ kind: 'other' });
      expect(classifySqliteError('SQLITE_FULL')).toEqual({ kind: 'other' });
    });
  });
});

describe('toStoreError', () => {
  it('turns an outage into a StoreUnavailableError naming the action, reason and code, keeping the cause', () => {
    const cause = new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    const error = toStoreError(cause, 'append to stream s');
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({
      message: 'cannot append to stream s: the disk is full (SQLITE_FULL: database or disk is full)',
      cause,
    });
  });

  it('passes any other error through unchanged', () => {
    const bug = new Database.SqliteError('no such table: events', 'SQLITE_ERROR');
    expect(toStoreError(bug, 'read')).toBe(bug);
  });
});
