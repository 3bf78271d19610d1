import { InvalidValue } from '@positions/domain';
import { searchTextTable, searchVersionsTable, STATEMENT_SEARCH_VIEW } from './statement-search.projection';
import type { ViewReader } from './view-reader';

/** Where the previous page ended: its last row's sort key. */
export interface SearchAfter {
  /** How well the text matched (higher is better) when searching text; null otherwise. */
  score: number | null;
  earliestMs: number;
  statementId: string;
}

export interface StatementSearch {
  /** An FTS5 query made by `toMatchQuery`; undefined: every statement, latest first. */
  match?: string;
  actorId?: string;
  topicId?: string;
  /** Keep statements whose range of days meets [fromMs, toMs]. */
  fromMs?: number;
  toMs?: number;
  knownAtMs: number;
  /** The log position the record is read at: versions opened later are left out, closed later kept. */
  seq: number;
  includeRetracted: boolean;
  limit: number;
  after?: SearchAfter;
}

export interface SearchHit {
  statementId: string;
  score: number | null;
  earliestMs: number;
}

/**
 * The user's words as an FTS5 query: words, `"a phrase"` and `prefix*`, every other character
 * taken literally (each word is quoted, so `AND`, `NEAR(`, `col:` and `^` are plain words).
 * Unbalanced quotes and a query without a word are refused.
 */
export function toMatchQuery(q: string): string {
  if ((q.match(/"/g) ?? []).length % 2 !== 0) throw new InvalidValue('q has an unbalanced double quote: close the phrase with "', 'q');
  const parts: string[] = [];
  for (const [, phrase, word] of q.matchAll(/"([^"]*)"|([^\s"]+)/g)) {
    const text = phrase ?? word;
    const prefix = phrase === undefined && text.endsWith('*');
    const bare = prefix ? text.replace(/\*+$/, '') : text;
    if (!/[\p{L}\p{N}]/u.test(bare)) continue;
    parts.push(`"${bare.replace(/\*/g, ' ')}"${prefix ? '*' : ''}`);
  }
  if (parts.length === 0) throw new InvalidValue('q must contain at least one word (letters or digits)', 'q');
  return parts.join(' ');
}

const LIVE = `v.from_seq <= @seq AND v.known_from_ms <= @knownAt
  AND (v.to_seq IS NULL OR v.to_seq > @seq OR v.known_to_ms > @knownAt OR (@retracted = 1 AND v.closed_by = 'retraction'))`;

/**
 * One page of statements matching a search, as the record stood at (knownAtMs, seq): at most
 * one version per statement is live then, so no statement appears twice. With text, best match
 * first: every word in the summary (2), in the quote (1), both (3), spread over the fields or
 * in the source only (0), then latest first. Not bm25: its corpus statistics move with every
 * write, so a keyset cursor on it would repeat or miss statements; this score depends on the
 * statement alone. Keyset paging on (score desc, earliest desc, statementId).
 */
export function searchStatements(read: ViewReader, search: StatementSearch): SearchHit[] {
  return read.guard(() => {
    const suffix = read.suffix(STATEMENT_SEARCH_VIEW);
    const versions = searchVersionsTable(suffix);
    const where = [LIVE, ...filters(search)];
    const params = { ...search, ...search.after, knownAt: search.knownAtMs, retracted: search.includeRetracted ? 1 : 0 };
    if (search.match === undefined) {
      if (search.after) where.push('(v.earliest_ms < @earliestMs OR (v.earliest_ms = @earliestMs AND v.statement_id > @statementId))');
      const sql = `SELECT v.statement_id AS statementId, NULL AS score, v.earliest_ms AS earliestMs FROM ${versions} v
        WHERE ${where.join(' AND ')} ORDER BY v.earliest_ms DESC, v.statement_id LIMIT @limit`;
      return read.prepare(sql).all(pick(sql, params)) as SearchHit[];
    }
    const text = searchTextTable(suffix);
    const hits = `SELECT v.statement_id AS statementId, v.earliest_ms AS earliestMs,
        (CASE WHEN v.id IN (SELECT rowid FROM ${text} WHERE ${text} MATCH @inSummary) THEN 2 ELSE 0 END)
        + (CASE WHEN v.id IN (SELECT rowid FROM ${text} WHERE ${text} MATCH @inQuote) THEN 1 ELSE 0 END) AS score
      FROM ${text} t JOIN ${versions} v ON v.id = t.rowid
      WHERE ${text} MATCH @match AND ${where.join(' AND ')}`;
    const after = search.after ? 'WHERE score < @score OR (score = @score AND (earliestMs < @earliestMs OR (earliestMs = @earliestMs AND statementId > @statementId)))' : '';
    const sql = `SELECT * FROM (${hits}) ${after} ORDER BY score DESC, earliestMs DESC, statementId LIMIT @limit`;
    const inColumn = (column: string) => `{${column}} : (${search.match})`;
    return read.prepare(sql).all(pick(sql, { ...params, inSummary: inColumn('summary'), inQuote: inColumn('quote') })) as SearchHit[];
  });
}

/** The last log position the search view holds: what a first page pins its later pages to. */
export function searchPosition(read: ViewReader): number {
  return read.guard(() => {
    const versions = searchVersionsTable(read.suffix(STATEMENT_SEARCH_VIEW));
    const row = read.prepare(`SELECT MAX(IFNULL((SELECT MAX(from_seq) FROM ${versions}), 0), IFNULL((SELECT MAX(to_seq) FROM ${versions}), 0)) AS seq`).get() as {
      seq: number;
    };
    return row.seq;
  });
}

function filters({ actorId, topicId, fromMs, toMs }: StatementSearch): string[] {
  return [
    actorId !== undefined && 'v.actor_id = @actorId',
    topicId !== undefined && 'v.topic_id = @topicId',
    fromMs !== undefined && 'v.latest_ms >= @fromMs',
    toMs !== undefined && 'v.earliest_ms <= @toMs',
  ].filter((f): f is string => typeof f === 'string');
}

/** better-sqlite3 refuses named parameters the SQL does not use: pass only those it names. */
function pick(sql: string, params: Record<string, unknown>): Record<string, unknown> {
  const names = new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]));
  return Object.fromEntries(Object.entries(params).filter(([name]) => names.has(name)));
}
