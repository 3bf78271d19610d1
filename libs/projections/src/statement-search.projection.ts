import { isDateTime, parseStream, type PositionEvent, statedRange, type StatementFields, toDomainEvent } from '@positions/domain';
import type { StoredEvent } from '@positions/event-store';
import type { Projection, ViewsDatabase } from './projection';

export const STATEMENT_SEARCH_VIEW = 'statement-search';
export const searchVersionsTable = (suffix: string): string => `search_versions${suffix}`;
export const searchTextTable = (suffix: string): string => `search_text${suffix}`;
/** The summary alone and the quote alone, for ranking (see `createTables`). */
export const searchColumnTable = (column: 'summary' | 'quote', suffix: string): string => `search_${column}${suffix}`;

/**
 * The days a statement may have been made on, as epoch ms: the one place search reads a
 * statement's range, so that imprecise dates (`earliest`/`latest`) replace `statedOn` here only.
 */
export function statementDays(fields: Pick<StatementFields, 'statedOn'>): { earliestMs: number; latestMs: number } {
  const { earliest, latest } = statedRange(fields.statedOn);
  // A range of days ends with the end of its last day; a date-time is its instant.
  return { earliestMs: earliest, latestMs: isDateTime(fields.statedOn) ? latest : latest + DAY_MS - 1 };
}

const DAY_MS = 86_400_000;

/**
 * Full-text search over statements, as known at any moment. Like the bitemporal statements
 * index, one row per version of a statement's text, valid in record time over
 * [known_from_ms, known_to_ms) and in log order over [from_seq, to_seq), so a correction's old
 * words are found as known before it. The text goes to a contentless FTS5 table whose rowid is
 * the version's id (the summary and the quote also to one table each, for ranking); the
 * tokenizer ignores case and accents (`Dombrovskis` ~ `dombrovskis`).
 * A retraction closes the last version with `closed_by = 'retraction'`: such a row is what
 * `includeRetracted` adds back.
 */
export const statementSearchProjection: Projection = {
  name: STATEMENT_SEARCH_VIEW,
  version: 2,
  handles: ['PositionStated', 'StatementCorrected', 'StatementRetracted'],
  open(db: ViewsDatabase, suffix: string, bulk = false) {
    createTables(db, suffix);
    if (!bulk) indexText(db, suffix);
    const versions = searchVersionsTable(suffix);
    const insert = db.prepare(`INSERT INTO ${versions}
      (statement_id, actor_id, topic_id, earliest_ms, latest_ms, fields, known_from_ms, from_seq)
      VALUES (@statementId, @actorId, @topicId, @earliestMs, @latestMs, @fields, @knownFromMs, @seq)`);
    const text = bulk ? null : textInserts(db, suffix);
    const current = db.prepare(`SELECT actor_id AS actorId, topic_id AS topicId, fields FROM ${versions} WHERE statement_id = ? AND to_seq IS NULL`);
    const close = db.prepare(`UPDATE ${versions} SET known_to_ms = ?, to_seq = ?, closed_by = ? WHERE statement_id = ? AND to_seq IS NULL`);

    const add = (stored: StoredEvent, statementId: string, actorId: string, topicId: string, fields: StatementFields) => {
      const row = { statementId, actorId, topicId, ...statementDays(fields), fields: JSON.stringify(fields), knownFromMs: Date.parse(stored.recordedAt), seq: stored.position };
      const id = insert.run(row).lastInsertRowid;
      text?.(id, fields);
    };

    return (stored: StoredEvent) => {
      const event = toDomainEvent<PositionEvent>(stored);
      if (event.type === 'PositionStated') {
        const ref = parseStream(stored.streamId);
        if (ref?.kind !== 'position') return;
        const { statementId, ...fields } = event.data;
        add(stored, statementId, ref.actorId, ref.topicId, fields);
        return;
      }
      const row = current.get(event.data.statementId) as { actorId: string; topicId: string; fields: string } | undefined;
      if (!row) return;
      const closedBy = event.type === 'StatementCorrected' ? 'correction' : 'retraction';
      close.run(Date.parse(stored.recordedAt), stored.position, closedBy, event.data.statementId);
      if (event.type === 'StatementCorrected') {
        add(stored, event.data.statementId, row.actorId, row.topicId, { ...(JSON.parse(row.fields) as StatementFields), ...event.data.changes });
      }
    };
  },
  queryIndexes(db: ViewsDatabase, suffix: string) {
    indexText(db, suffix);
    const table = searchVersionsTable(suffix);
    db.exec(`-- Without q: latest earliest first, overall, by topic or by actor.
    CREATE INDEX IF NOT EXISTS ${table}_by_earliest ON ${table} (earliest_ms DESC, statement_id);
    CREATE INDEX IF NOT EXISTS ${table}_by_topic ON ${table} (topic_id, earliest_ms DESC, statement_id);
    CREATE INDEX IF NOT EXISTS ${table}_by_actor ON ${table} (actor_id, earliest_ms DESC, statement_id);
    CREATE INDEX IF NOT EXISTS ${table}_from_seq ON ${table} (from_seq);
    CREATE INDEX IF NOT EXISTS ${table}_to_seq ON ${table} (to_seq);`);
  },
  drop(db: ViewsDatabase, suffix: string) {
    const tables = [searchTextTable(suffix), searchColumnTable('summary', suffix), searchColumnTable('quote', suffix), searchVersionsTable(suffix)];
    db.exec(tables.map((table) => `DROP TABLE IF EXISTS ${table};`).join(' '));
  },
};

function createTables(db: ViewsDatabase, suffix: string): void {
  const table = searchVersionsTable(suffix);
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
    id INTEGER PRIMARY KEY,
    statement_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    earliest_ms INTEGER NOT NULL,
    latest_ms INTEGER NOT NULL,
    fields TEXT NOT NULL,
    known_from_ms INTEGER NOT NULL,
    known_to_ms INTEGER,
    -- Log positions that opened and closed the version: a cursor pins the record at one of them.
    from_seq INTEGER NOT NULL,
    to_seq INTEGER,
    closed_by TEXT
  );
  -- Corrections and retractions find the current version by it.
  CREATE INDEX IF NOT EXISTS ${table}_by_statement ON ${table} (statement_id, to_seq);`);
}

/** Writes the words of one version (its id, its fields) to the text tables. */
function textInserts(db: ViewsDatabase, suffix: string): (id: number | bigint, fields: StatementFields) => void {
  const insertText = db.prepare(`INSERT INTO ${searchTextTable(suffix)} (rowid, summary, quote, title, publisher) VALUES (?, ?, ?, ?, ?)`);
  const insertSummary = db.prepare(`INSERT INTO ${searchColumnTable('summary', suffix)} (rowid, text) VALUES (?, ?)`);
  const insertQuote = db.prepare(`INSERT INTO ${searchColumnTable('quote', suffix)} (rowid, text) VALUES (?, ?)`);
  return (id, fields) => {
    insertText.run(id, fields.summary, fields.quote ?? '', fields.source.title ?? '', fields.source.publisher ?? '');
    insertSummary.run(id, fields.summary);
    if (fields.quote) insertQuote.run(id, fields.quote);
  };
}

/**
 * Creates the text tables if missing, filled with the words of every version there is. A view
 * built in bulk writes only its versions while it catches up; their words then go in at its end,
 * by one statement per table, as `textInserts` would have written them one by one (an FTS5
 * index filled in one transaction is written as a few large segments instead of one per batch,
 * each merged again and again). The text table is the mark that the words are there (a bulk
 * build killed part-way has none: the next opening writes them).
 */
function indexText(db: ViewsDatabase, suffix: string): void {
  const versions = searchVersionsTable(suffix);
  const text = searchTextTable(suffix);
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE name = ?").get(text)) return;
  const field = (path: string) => `json_extract(fields, '$.${path}')`;
  db.transaction(() => {
    db.exec(`CREATE VIRTUAL TABLE ${text} USING fts5(summary, quote, title, publisher, ${FTS_OPTIONS});
    CREATE VIRTUAL TABLE ${searchColumnTable('summary', suffix)} USING fts5(text, ${FTS_OPTIONS});
    CREATE VIRTUAL TABLE ${searchColumnTable('quote', suffix)} USING fts5(text, ${FTS_OPTIONS});
    INSERT INTO ${text} (rowid, summary, quote, title, publisher)
      SELECT id, ${field('summary')}, IFNULL(${field('quote')}, ''), IFNULL(${field('source.title')}, ''), IFNULL(${field('source.publisher')}, '') FROM ${versions} ORDER BY id;
    INSERT INTO ${searchColumnTable('summary', suffix)} (rowid, text) SELECT id, ${field('summary')} FROM ${versions} ORDER BY id;
    INSERT INTO ${searchColumnTable('quote', suffix)} (rowid, text) SELECT id, ${field('quote')} FROM ${versions} WHERE ${field('quote')} <> '' ORDER BY id;`);
  })();
}

/**
 * Ranking asks whether a window's matches also match in the summary alone and in the quote
 * alone. A column filter (`{summary} : ...`) on the combined table cannot: FTS5 skips the
 * entries outside the column until the next entry inside it, past a rowid bound, so a word
 * frequent elsewhere but rare in the summary read its whole list (~30 ms at 1,000,000
 * statements). A table of the column alone answers within the window's bounds.
 */
const FTS_OPTIONS = `content='', columnsize=0, tokenize='unicode61 remove_diacritics 2', prefix='2 3'`;
