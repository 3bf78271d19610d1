import { isDateTime, parseStream, type PositionEvent, statedRange, type StatementFields, toDomainEvent } from '@positions/domain';
import type { StoredEvent } from '@positions/event-store';
import type { Projection, ViewsDatabase } from './projection';
import { searchColumnTable, searchTextTable, searchVersionsTable, STATEMENT_SEARCH_VIEW } from './statement-search.tables';

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

/** Versions a view built in bulk writes before it writes their words, in one go (`fillText`). */
const TEXT_CHUNK = 100_000;

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
export const statementSearchProjection: Projection = statementSearch();

/** The search view; `textChunk`: how many versions a view built in bulk writes before their words (tests make it small). */
export function statementSearch(textChunk = TEXT_CHUNK): Projection {
  return {
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

      // In bulk: versions written since the words were last written in one go (see `fillText`).
      let unfilled = 0;
      const add = (stored: StoredEvent, statementId: string, actorId: string, topicId: string, fields: StatementFields) => {
        const row = { statementId, actorId, topicId, ...statementDays(fields), fields: JSON.stringify(fields), knownFromMs: Date.parse(stored.recordedAt), seq: stored.position };
        const id = insert.run(row).lastInsertRowid;
        if (text) text(id, fields);
        else unfilled++;
      };

      const apply = (stored: StoredEvent) => {
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
      if (!bulk) return apply;
      // At the end of a batch, in its transaction: the words of every TEXT_CHUNK versions in one go.
      return Object.assign(apply, {
        flush: () => {
          if (unfilled < textChunk) return;
          fillText(db, suffix);
          unfilled = 0;
        },
      });
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
      const tables = [searchTextTable(suffix), searchColumnTable('summary', suffix), searchColumnTable('quote', suffix), searchVersionsTable(suffix), textFilledTable(suffix)];
      db.exec(tables.map((table) => `DROP TABLE IF EXISTS ${table};`).join(' '));
    },
  };
}

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

/** While a view built in bulk has written the words of only some of its versions: the last version whose words are in. */
const textFilledTable = (suffix: string) => `search_filled${suffix}`;

/**
 * Creates the text tables if missing, filled with the words of every version there is, as
 * `textInserts` would have written them one by one. A view built in bulk writes only its versions
 * while it catches up, and their words in one go every TEXT_CHUNK versions (`fillText`) and the
 * rest here: an FTS5 index filled by one statement is written as a few large segments instead
 * of one per batch and table, merged again and again; and a build beside other work (an import)
 * writes most words while that work goes on. The text table without the table of what was filled
 * is the mark that the words are all there (a bulk build killed part-way has one or neither: the
 * next opening writes the rest).
 */
function indexText(db: ViewsDatabase, suffix: string): void {
  const exists = (table: string) => db.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(table) !== undefined;
  if (exists(searchTextTable(suffix)) && !exists(textFilledTable(suffix))) return;
  db.transaction(() => {
    fillText(db, suffix);
    db.exec(`DROP TABLE ${textFilledTable(suffix)}`);
  })();
}

/** Writes the words of the versions written since the last time (all of them the first time), creating the text tables if missing. */
function fillText(db: ViewsDatabase, suffix: string): void {
  const versions = searchVersionsTable(suffix);
  const text = searchTextTable(suffix);
  const filled = textFilledTable(suffix);
  const field = (path: string) => `json_extract(fields, '$.${path}')`;
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS ${text} USING fts5(summary, quote, title, publisher, ${FTS_OPTIONS});
    CREATE VIRTUAL TABLE IF NOT EXISTS ${searchColumnTable('summary', suffix)} USING fts5(text, ${FTS_OPTIONS});
    CREATE VIRTUAL TABLE IF NOT EXISTS ${searchColumnTable('quote', suffix)} USING fts5(text, ${FTS_OPTIONS});
    CREATE TABLE IF NOT EXISTS ${filled} (through INTEGER NOT NULL);`);
  const from = (db.prepare(`SELECT through FROM ${filled}`).pluck().get() as number | undefined) ?? 0;
  const through = (db.prepare(`SELECT MAX(id) FROM ${versions}`).pluck().get() as number | null) ?? 0;
  const range = { from, through };
  const chunk = `FROM ${versions} WHERE id > @from AND id <= @through`;
  db.prepare(`INSERT INTO ${text} (rowid, summary, quote, title, publisher)
    SELECT id, ${field('summary')}, IFNULL(${field('quote')}, ''), IFNULL(${field('source.title')}, ''), IFNULL(${field('source.publisher')}, '') ${chunk} ORDER BY id`).run(range);
  db.prepare(`INSERT INTO ${searchColumnTable('summary', suffix)} (rowid, text) SELECT id, ${field('summary')} ${chunk} ORDER BY id`).run(range);
  db.prepare(`INSERT INTO ${searchColumnTable('quote', suffix)} (rowid, text) SELECT id, ${field('quote')} ${chunk} AND ${field('quote')} <> '' ORDER BY id`).run(range);
  db.exec(`DELETE FROM ${filled}`);
  db.prepare(`INSERT INTO ${filled} (through) VALUES (?)`).run(through);
}

/**
 * Ranking asks whether a window's matches also match in the summary alone and in the quote
 * alone. A column filter (`{summary} : ...`) on the combined table cannot: FTS5 skips the
 * entries outside the column until the next entry inside it, past a rowid bound, so a word
 * frequent elsewhere but rare in the summary read its whole list (~30 ms at 1,000,000
 * statements). A table of the column alone answers within the window's bounds.
 */
const FTS_OPTIONS = `content='', columnsize=0, tokenize='unicode61 remove_diacritics 2', prefix='2 3'`;
