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

/** Rows per second inserting `total` rows, 1,000 per transaction. */
export function rawBatchedInserts(total: number, row: string): number {
  const { db, insert, close } = rawDatabase('FULL');
  const batch = db.transaction((from: number) => {
    for (let i = from; i < from + 1000 && i < total; i++) insert.run(`e-${i}`, `s-${i % 100_000}`, Math.floor(i / 100_000), 'PositionStated', row, new Date().toISOString());
  });
  const started = process.hrtime.bigint();
  for (let from = 0; from < total; from += 1000) batch(from);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  close();
  return total / seconds;
}

/** Events per second reading a log file sequentially and parsing each event's JSON. */
export function rawReadAndParse(file: string): number {
  const db = new Database(file, { readonly: true });
  const started = process.hrtime.bigint();
  let count = 0;
  for (const row of db.prepare('SELECT data FROM events ORDER BY position').pluck().iterate()) {
    JSON.parse(row as string);
    count++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  return count / seconds;
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
