/*
 * The SQL that derives the stance-counts view's changes of counts from its statements, shared by
 * the view (stance-counts.projection.ts) and the thread that derives them beside the other
 * views' builds (stance-counts.thread.ts), which may import nothing of the libraries'.
 */

const DAY = 86_400_000;
/** Days of changes per row of the blocks table: a decade is ~115 rows to read, not ~3,600. */
export const BLOCK_DAYS = 32;

/**
 * Fills `deltas` (empty) with every change of counts of the statements in `statements`.
 *
 * What an actor holds at the end of a day only changes on days with one of its statements, and
 * is then the greatest of that day's statements (by at_ms, earliest_ms, position; see `held` in
 * the view): each change of that day's winner moves the counts, as the view's `apply` moves them
 * event by event.
 */
export function deriveDeltasSql(statements: string, deltas: string): string {
  const day = `((at_ms - ((at_ms % ${DAY}) + ${DAY}) % ${DAY}) / ${DAY})`;
  return `WITH days AS (
      SELECT topic_id, actor_id, day, stance FROM (
        SELECT topic_id, actor_id, ${day} AS day, stance,
          ROW_NUMBER() OVER (PARTITION BY topic_id, actor_id, ${day} ORDER BY at_ms DESC, earliest_ms DESC, position DESC) AS rank
        FROM ${statements})
      WHERE rank = 1),
    changes AS (
      SELECT topic_id, day, stance, LAG(stance) OVER (PARTITION BY topic_id, actor_id ORDER BY day) AS was FROM days),
    moves AS (
      SELECT topic_id, day, stance, 1 AS delta FROM changes WHERE was IS NULL OR was <> stance
      UNION ALL SELECT topic_id, day, was, -1 FROM changes WHERE was <> stance)
    INSERT INTO ${deltas} (topic_id, day, stance, delta)
      SELECT topic_id, day, stance, SUM(delta) FROM moves GROUP BY topic_id, day, stance HAVING SUM(delta) <> 0 ORDER BY topic_id, day, stance`;
}

/**
 * The changes of counts of each block of BLOCK_DAYS days as one flat JSON array, by day and
 * stance: `[day, "stance", change, "stance", change, day, ...]` (a number after a change is the
 * next day). Read a range of days as one row per block, the few rows are parsed as arrays of
 * numbers and short strings, where one JSON object per day cost about four times as much to
 * read and parse (decision 0039). The changes table stays for the sums before a range, which
 * SQLite adds up without handing each row to JavaScript.
 */
export function blockChangesSql(deltas: string, where: string): string {
  const block = `((day - ((day % ${BLOCK_DAYS}) + ${BLOCK_DAYS}) % ${BLOCK_DAYS}) / ${BLOCK_DAYS})`;
  return `SELECT topic_id, ${block} AS block, '[' || group_concat(day || ',' || changes, ',' ORDER BY day) || ']'
    FROM (SELECT topic_id, day, group_concat(json_quote(stance) || ',' || delta, ',' ORDER BY stance) AS changes FROM ${deltas} ${where} GROUP BY topic_id, day)
    GROUP BY topic_id, block`;
}

/** The tables of the changes of counts, by day and by block of days (the view's, and the thread's scratch copies). */
export function countTablesSql(deltas: string, blocks: string): string {
  return `CREATE TABLE IF NOT EXISTS ${deltas} (
    topic_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    stance TEXT NOT NULL,
    delta INTEGER NOT NULL,
    PRIMARY KEY (topic_id, day, stance)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS ${blocks} (
    topic_id TEXT NOT NULL,
    block INTEGER NOT NULL,
    changes TEXT NOT NULL,
    PRIMARY KEY (topic_id, block)
  ) WITHOUT ROWID`;
}

/** Fills `blocks` (empty) from `deltas`. */
export const deriveBlocksSql = (deltas: string, blocks: string): string => `INSERT INTO ${blocks} (topic_id, block, changes) ${blockChangesSql(deltas, '')} ORDER BY topic_id, block`;
