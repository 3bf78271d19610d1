import Database from 'better-sqlite3';
import { Client } from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A table shaped like the event log, in a fresh SQLite file with the store's pragmas. */
function rawDatabase(synchronous: 'FULL' | 'NORMAL') {
  const dir = mkdtempSync(join(tmpdir(), 'positions-raw-'));
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL,
    stream_position INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, recorded_at TEXT NOT NULL, UNIQUE (stream_id, stream_position))`);
  const insert = db.prepare('INSERT INTO events (event_id, stream_id, stream_position, type, data, recorded_at) VALUES (?, ?, ?, ?, ?, ?)');
  return { db, insert, close: () => (db.close(), rmSync(dir, { recursive: true, force: true })) };
}

/** Rows per second, one row per transaction, each commit synced (synchronous=FULL). */
export function rawSingleRowCommits(seconds: number, row: string): number {
  const { db, insert, close } = rawDatabase('FULL');
  const one = db.transaction((i: number) => insert.run(`e-${i}`, `s-${i % 1000}`, Math.floor(i / 1000), 'PositionStated', row, new Date().toISOString()));
  const end = Date.now() + seconds * 1000;
  let i = 0;
  while (Date.now() < end) one(i++);
  close();
  return i / seconds;
}

const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;

/** Seconds to insert `rows` into a fresh raw log, 1,000 per transaction; leaves the database open for more work. */
function rawBatchedLog(rows: Iterable<{ streamId: string; data: string }>) {
  const raw = rawDatabase('FULL');
  const batch = raw.db.transaction((chunk: { streamId: string; data: string }[], from: number) => {
    chunk.forEach((row, k) => raw.insert.run(`e-${from + k}`, row.streamId, from + k, 'PositionStated', row.data, new Date().toISOString()));
  });
  const started = process.hrtime.bigint();
  let chunk: { streamId: string; data: string }[] = [];
  let count = 0;
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length < 1000) continue;
    batch(chunk, count);
    count += chunk.length;
    chunk = [];
  }
  batch(chunk, count);
  return { ...raw, count: count + chunk.length, seconds: seconds(started) };
}

/**
 * The physical limit of building the statements index: read the log in order, parse each
 * event, insert one row per statement with the same columns as the statements view, in
 * transactions of 5,000, and create the indexes after the load (a view that stays queryable
 * cannot). Returns the seconds it took and the events read.
 */
function rawIndexBuild(db: Database.Database): { events: number; seconds: number } {
  const dir = mkdtempSync(join(tmpdir(), 'positions-raw-index-'));
  const out = new Database(join(dir, 'views.db'));
  out.pragma('journal_mode = WAL');
  out.pragma('synchronous = NORMAL');
  out.exec(`CREATE TABLE statement_versions (statement_id TEXT NOT NULL, actor_id TEXT NOT NULL, topic_id TEXT NOT NULL, stance TEXT NOT NULL,
    stated_on TEXT NOT NULL, stated_on_ms INTEGER NOT NULL, stated_position INTEGER NOT NULL, fields TEXT NOT NULL, recorded_at TEXT NOT NULL,
    known_from TEXT NOT NULL, known_from_ms INTEGER NOT NULL, known_to_ms INTEGER, closed_by TEXT)`);
  const insert = out.prepare('INSERT INTO statement_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)');
  const started = process.hrtime.bigint();
  let events = 0;
  out.exec('BEGIN');
  for (const row of db.prepare('SELECT position, stream_id, type, data, recorded_at FROM events ORDER BY position').raw().iterate()) {
    const [position, streamId, type, data, recordedAt] = row as [number, string, string, string, string];
    if (++events % 5000 === 0) out.exec('COMMIT; BEGIN');
    if (type !== 'PositionStated') {
      JSON.parse(data);
      continue;
    }
    const { statementId, stance, statedOn, ...fields } = JSON.parse(data) as { statementId: string; stance: string; statedOn: string };
    const [actorId, topicId] = streamId.slice('position-'.length).split('.');
    const at = Date.parse(recordedAt);
    insert.run(statementId, actorId, topicId, stance, statedOn, Date.parse(statedOn), position, JSON.stringify({ stance, statedOn, ...fields }), recordedAt, recordedAt, at);
  }
  out.exec('COMMIT');
  out.exec(`CREATE INDEX by_topic ON statement_versions (topic_id, actor_id, stated_on_ms DESC, stated_position DESC);
    CREATE INDEX by_statement ON statement_versions (statement_id, known_from_ms)`);
  const took = seconds(started);
  out.close();
  rmSync(dir, { recursive: true, force: true });
  return { events, seconds: took };
}

/** Events per second building the statements index raw (see rawIndexBuild) from an existing log file. */
export function rawIndexBuildRate(file: string): number {
  const db = new Database(file, { readonly: true });
  const { events, seconds: took } = rawIndexBuild(db);
  db.close();
  return events / took;
}

/** Statements per second for raw batched log inserts of `statements` plus the raw index build over them. */
export function rawImportRate(statements: Iterable<{ streamId: string; data: string }>): number {
  const log = rawBatchedLog(statements);
  const index = rawIndexBuild(log.db);
  log.close();
  return log.count / (log.seconds + index.seconds);
}

/** The same, reading the log from PostgreSQL in pages of 5,000 rows by position (as a follower reads). */
export async function rawReadAndParsePostgres(url: string, schema: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const started = process.hrtime.bigint();
  let count = 0;
  try {
    for (let after = '0'; ; ) {
      const { rows } = await client.query<{ position: string; data: string }>({
        text: `SELECT position, data::text AS data FROM "${schema}".events WHERE position > $1 ORDER BY position LIMIT 5000`,
        values: [after],
      });
      if (rows.length === 0) break;
      for (const row of rows) JSON.parse(row.data);
      count += rows.length;
      after = rows[rows.length - 1].position;
    }
  } finally {
    await client.end();
  }
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}
