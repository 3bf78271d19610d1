import { searchColumnTable, searchTextTable, searchVersionsTable, STATEMENT_SEARCH_VIEW } from './statement-search.tables';
import type { ViewReader } from './view-reader';

/** A row's place in the order: how well the text matched (null without text), latest first, then id. */
export interface SearchKey {
  /** How well the text matched (higher is better) when searching text; null otherwise. */
  score: number | null;
  earliestMs: number;
  statementId: string;
}

/** Where the previous page ended: with text, the window it ended in; the last row's key (none: the window's start). */
export interface SearchAfter {
  /** With text: the exclusive upper bound of the window's version ids (see `TEXT_WINDOW`). */
  window?: number;
  key?: SearchKey;
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

export interface SearchHit extends SearchKey {
  /** With text: the window the hit was ranked in. */
  window?: number;
}

export interface SearchPage {
  /** Up to `limit` hits in order. */
  hits: SearchHit[];
  /** Fewer than `limit` hits and the windows this search may examine are spent: where the next page starts. */
  resume: SearchAfter | null;
}

/**
 * Text matches are ranked in windows of this many matching versions, newest recorded first
 * (version ids grow with the log): the cost of a page is bounded by the window, not by how
 * many statements share a word. Matches never leave the text table, so the versions below a
 * window's bound never change and a cursor finds its window again, whatever was written since.
 */
export const TEXT_WINDOW = 1000;
/** A page examines at most this many windows (filters may leave a window nearly empty); it is shorter when they are spent. */
export const WINDOWS_PER_PAGE = 10;

const LIVE = `v.from_seq <= @seq AND v.known_from_ms <= @knownAt
  AND (v.to_seq IS NULL OR v.to_seq > @seq OR v.known_to_ms > @knownAt OR (@retracted = 1 AND v.closed_by = 'retraction'))`;

/**
 * One page of statements matching a search, as the record stood at (knownAtMs, seq): at most
 * one version per statement is live then, so no statement appears twice. Without text, latest
 * `earliest` first, keyset paging on (earliest desc, statementId).
 */
export function searchStatements(read: ViewReader, search: StatementSearch): SearchPage {
  return read.guard(() => {
    const suffix = read.suffix(STATEMENT_SEARCH_VIEW);
    if (search.match !== undefined) return textPage(read, suffix, search, search.match);
    const where = [LIVE, ...filters(search)];
    const key = search.after?.key;
    if (key) where.push('(v.earliest_ms < @earliestMs OR (v.earliest_ms = @earliestMs AND v.statement_id > @statementId))');
    const sql = `SELECT v.statement_id AS statementId, NULL AS score, v.earliest_ms AS earliestMs FROM ${searchVersionsTable(suffix)} v
      WHERE ${where.join(' AND ')} ORDER BY v.earliest_ms DESC, v.statement_id LIMIT @limit`;
    return { hits: read.prepare(sql).all(pick(sql, { ...params(search), ...key })) as SearchHit[], resume: null };
  });
}

/**
 * With text: window after window of `TEXT_WINDOW` matching versions, newest recorded first,
 * each ranked best match first: every word in the summary (2), in the quote (1), both (3),
 * spread over the fields or in the source only (0), then latest first. Not bm25: its corpus
 * statistics move with every write, so a cursor on it would repeat or miss statements; this
 * score depends on the statement alone.
 */
function textPage(read: ViewReader, suffix: string, search: StatementSearch, match: string): SearchPage {
  const hits: SearchHit[] = [];
  // The first window's bound is fixed at the first page: versions written later must not shift the windows of later pages.
  let window = search.after?.window ?? (read.prepare(`SELECT IFNULL(MAX(id), 0) + 1 FROM ${searchVersionsTable(suffix)}`).pluck().get() as number);
  let key = search.after?.key;
  for (let examined = 0; examined < WINDOWS_PER_PAGE; examined++) {
    const ids = windowIds(read, suffix, match, window);
    const ranked = rankedWindow(read, suffix, { ...search, match }, ids).filter((hit) => !key || bestFirst(hit, key) > 0);
    hits.push(...ranked.slice(0, search.limit - hits.length).map((hit) => ({ ...hit, window })));
    const lower = ids.length === TEXT_WINDOW ? ids[ids.length - 1] : 0;
    if (hits.length >= search.limit || lower === 0) return { hits, resume: null };
    window = lower;
    key = undefined;
  }
  return { hits, resume: { window } };
}

/** The window below `window`: the ids of up to `TEXT_WINDOW` matching versions, newest first; the last one is its lower bound. */
function windowIds(read: ViewReader, suffix: string, match: string, window: number): number[] {
  const text = searchTextTable(suffix);
  const sql = `SELECT rowid FROM ${text} WHERE ${text} MATCH @match AND rowid < ${INTEGER('@window')} ORDER BY rowid DESC LIMIT ${TEXT_WINDOW}`;
  return read.prepare(sql).pluck().all({ match, window }) as number[];
}

/** The window's statements live at the search's moment that pass the filters, best first. */
function rankedWindow(read: ViewReader, suffix: string, search: StatementSearch & { match: string }, ids: number[]): SearchKey[] {
  if (ids.length === 0) return [];
  // CROSS JOIN looks the window's ids up by key: an actor's or topic's index would read all its rows for each window.
  const sql = `SELECT v.id AS id, v.statement_id AS statementId, v.earliest_ms AS earliestMs
    FROM json_each(@ids) w CROSS JOIN ${searchVersionsTable(suffix)} v ON v.id = w.value WHERE ${[LIVE, ...filters(search)].join(' AND ')}`;
  const rows = read.prepare(sql).all(pick(sql, { ...params(search), ids: JSON.stringify(ids) })) as (Omit<SearchKey, 'score'> & { id: number })[];
  const matched = rows.map((row) => row.id);
  const inSummary = matching(read, searchColumnTable('summary', suffix), search.match, matched);
  const inQuote = matching(read, searchColumnTable('quote', suffix), search.match, matched);
  return rows.map(({ id, ...row }) => ({ ...row, score: (inSummary.has(id) ? 2 : 0) + (inQuote.has(id) ? 1 : 0) })).sort(bestFirst);
}

/** Below this many rows a window asks the column's table about each row; above, about the rows' range at once. */
const PROBES = 32;

/**
 * Which of `ids` (versions that match in the combined table) match in one column's table. Its
 * matches are among the combined table's, so the range of `ids` holds at most a window of them.
 */
function matching(read: ViewReader, table: string, match: string, ids: number[]): Set<number> {
  if (ids.length <= PROBES) {
    const probe = read.prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH @match AND rowid = ${INTEGER('@id')}`).pluck();
    return new Set(ids.filter((id) => probe.get({ match, id }) !== undefined));
  }
  const sql = `SELECT rowid FROM ${table} WHERE ${table} MATCH @match AND rowid >= ${INTEGER('@lower')} AND rowid <= ${INTEGER('@upper')}`;
  return new Set(read.prepare(sql).pluck().all({ match, lower: Math.min(...ids), upper: Math.max(...ids) }) as number[]);
}

/** Best match first, then latest first, then by id: negative when `a` comes before `b`. */
function bestFirst(a: SearchKey, b: SearchKey): number {
  const score = (b.score ?? 0) - (a.score ?? 0);
  if (score !== 0) return score;
  if (a.earliestMs !== b.earliestMs) return b.earliestMs - a.earliestMs;
  return a.statementId < b.statementId ? -1 : a.statementId > b.statementId ? 1 : 0;
}

/**
 * better-sqlite3 binds a JS number as a REAL, and FTS5 ignores a rowid bound that is not an
 * INTEGER (it then reads the whole list and lets SQLite filter): bounds are cast.
 */
const INTEGER = (param: string): string => `CAST(${param} AS INTEGER)`;

function params(search: StatementSearch): Record<string, unknown> {
  return { ...search, knownAt: search.knownAtMs, retracted: search.includeRetracted ? 1 : 0 };
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
