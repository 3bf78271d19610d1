import BetterSqlite3, { type Statement } from 'better-sqlite3';
import type { ViewsDatabase } from './projection';
import type { StoreIdentity } from './store-identity';

/** One piece of the watch dispatcher's state, as JSON: rewritten only when it changed. */
export interface WatchStateRow {
  kind: string;
  key: string;
  data: string;
}

export interface WatchCheckpointHead {
  /** The log position the saved state and messages stand at. */
  position: number;
  /** Messages at or below this position are no longer kept. */
  forgottenThrough: number;
}

/** State rows made and written between two pauses of a save. */
const SAVE_PAGE = 1000;
/** The page cache of a scratch checkpoint, in KiB. */
const SCRATCH_CACHE_KIB = 4096;

/**
 * Where the watch dispatcher stands, in a SQLite file of its own (derived data, like the
 * views): its state in parts, the recent messages, and the position both stand at, with the log
 * and the format they belong to. A restarted service loads it and reads the log from there
 * instead of from its start. Every save is one transaction (state, messages and position always
 * match), paused now and then so a large one does not stall the service; the file is its own,
 * so nothing else writes while that transaction is open.
 */
export class WatchCheckpoint {
  private selectPart: Statement | undefined;

  /**
   * A checkpoint in a private temporary file, deleted when it is closed, with a small page cache:
   * where a re-derivation of the log keeps the parts of its state it does not hold in memory.
   */
  static scratch(): WatchCheckpoint {
    // An empty name: SQLite's private temporary database, on disk once its cache is full.
    const db = new BetterSqlite3('');
    db.pragma(`cache_size = -${SCRATCH_CACHE_KIB}`);
    return new WatchCheckpoint(db);
  }

  constructor(private readonly db: ViewsDatabase) {
    db.exec(`CREATE TABLE IF NOT EXISTS watch_checkpoint (
        id INTEGER PRIMARY KEY CHECK (id = 1), format INTEGER NOT NULL, store_kind TEXT NOT NULL, first_event TEXT,
        position INTEGER NOT NULL, forgotten_through INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS watch_state (kind TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS watch_messages (seq INTEGER PRIMARY KEY, position INTEGER NOT NULL, data TEXT NOT NULL);`);
  }

  /** The saved head, or null when nothing was saved from this log in this format (anything saved is then dropped). */
  read(identity: StoreIdentity, format: number): WatchCheckpointHead | null {
    const row = this.db.prepare('SELECT format, store_kind AS kind, first_event AS firstEvent, position, forgotten_through AS forgottenThrough FROM watch_checkpoint WHERE id = 1').get() as
      | (WatchCheckpointHead & StoreIdentity & { format: number })
      | undefined;
    if (row && row.format === format && row.kind === identity.kind && row.firstEvent === identity.firstEvent) return { position: row.position, forgottenThrough: row.forgottenThrough };
    this.clear();
    return null;
  }

  /**
   * Up to `limit` state rows after `after`, in key order: paged, so loading a large state lets
   * other work in between. The rows of kind `keysOnly` come without their data (null): they are
   * read one at a time when needed (`part`).
   */
  rows(after: Pick<WatchStateRow, 'kind' | 'key'> | null, limit: number, keysOnly = ''): (Omit<WatchStateRow, 'data'> & { data: string | null })[] {
    const select = 'SELECT kind, key, CASE WHEN kind = @keysOnly THEN NULL ELSE data END AS data FROM watch_state';
    if (after === null) return this.db.prepare(`${select} ORDER BY kind, key LIMIT @limit`).all({ keysOnly, limit }) as WatchStateRow[];
    return this.db.prepare(`${select} WHERE (kind, key) > (@kind, @key) ORDER BY kind, key LIMIT @limit`).all({ keysOnly, limit, kind: after.kind, key: after.key }) as WatchStateRow[];
  }

  /** The data of one state row, as last saved, or null when none was. */
  part(kind: string, key: string): string | null {
    this.selectPart ??= this.db.prepare('SELECT data FROM watch_state WHERE kind = ? AND key = ?').pluck();
    return (this.selectPart.get(kind, key) as string | undefined) ?? null;
  }

  /** The kept messages, as JSON, in the order they were derived. */
  messages(): string[] {
    return (this.db.prepare('SELECT data FROM watch_messages ORDER BY seq').all() as { data: string }[]).map((row) => row.data);
  }

  /**
   * Saves the changed parts (made into rows a page at a time), the new messages (kept as JSON),
   * forgets the old ones and moves the head, all in one transaction; `pause` lets other work in
   * between pages. False when nothing was saved: the checkpoint is closed.
   */
  async save<P extends { kind: string; key: string }>(
    saved: { identity: StoreIdentity; format: number; head: WatchCheckpointHead },
    changed: readonly P[],
    toRow: (part: P) => WatchStateRow,
    messages: readonly { position: number }[],
    pause: () => Promise<void>,
  ): Promise<boolean> {
    if (!this.db.open) return false;
    // In key order, the rows go into the table's B-tree one after the other instead of all over it.
    const parts = await sortedInTurns(changed, byKindAndKey, pause);
    const putRow = this.db.prepare('INSERT INTO watch_state (kind, key, data) VALUES (@kind, @key, @data) ON CONFLICT (kind, key) DO UPDATE SET data = excluded.data');
    const putMessage = this.db.prepare('INSERT INTO watch_messages (position, data) VALUES (@position, @data)');
    this.db.exec('BEGIN');
    try {
      for (let from = 0; from < parts.length; from += SAVE_PAGE) {
        for (const part of parts.slice(from, from + SAVE_PAGE)) putRow.run(toRow(part));
        await pause();
      }
      for (let from = 0; from < messages.length; from += SAVE_PAGE) {
        for (const message of messages.slice(from, from + SAVE_PAGE)) putMessage.run({ position: message.position, data: JSON.stringify(message) });
        await pause();
      }
      this.db.prepare('DELETE FROM watch_messages WHERE position <= ?').run(saved.head.forgottenThrough);
      this.db
        .prepare(
          `INSERT INTO watch_checkpoint (id, format, store_kind, first_event, position, forgotten_through) VALUES (1, @format, @kind, @firstEvent, @position, @forgottenThrough)
           ON CONFLICT (id) DO UPDATE SET format = @format, store_kind = @kind, first_event = @firstEvent, position = @position, forgotten_through = @forgottenThrough`,
        )
        .run({ format: saved.format, ...saved.identity, ...saved.head });
      this.db.exec('COMMIT');
      return true;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Forgets everything saved: the next save starts a new checkpoint. */
  clear(): void {
    this.db.exec('DELETE FROM watch_checkpoint; DELETE FROM watch_state; DELETE FROM watch_messages;');
  }
}

const byKindAndKey = (a: { kind: string; key: string }, b: { kind: string; key: string }): number =>
  a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/** Items sorted or merged between two pauses: a few milliseconds of work. */
const SORT_RUN = 8192;

/**
 * `items` sorted by `compare`, letting other work in every `SORT_RUN` items: runs sorted one at a
 * time, then merged two by two. A save after a large import changes a part for each of up to a
 * million actor-topic pairs; one `sort` of them held the service's event loop for 1.8 s.
 */
export async function sortedInTurns<T>(items: readonly T[], compare: (a: T, b: T) => number, pause: () => Promise<void>): Promise<T[]> {
  if (items.length <= SORT_RUN) return [...items].sort(compare);
  let runs: T[][] = [];
  for (let from = 0; from < items.length; from += SORT_RUN) {
    runs.push(items.slice(from, from + SORT_RUN).sort(compare));
    await pause();
  }
  while (runs.length > 1) {
    const merged: T[][] = [];
    for (let i = 0; i < runs.length; i += 2) {
      const [left, right = []] = [runs[i], runs[i + 1]];
      const out: T[] = new Array<T>(left.length + right.length);
      let [l, r] = [0, 0];
      for (let o = 0; o < out.length; o++) {
        out[o] = r >= right.length || (l < left.length && compare(left[l], right[r]) <= 0) ? left[l++] : right[r++];
        if (o % SORT_RUN === SORT_RUN - 1) await pause();
      }
      merged.push(out);
    }
    runs = merged;
  }
  return runs[0];
}
