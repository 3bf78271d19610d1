import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { documentTable } from './document-view';
import type { ViewsDatabase } from './projection';

/** What readers need of the runner: which generation answers, and when anything changed. */
export interface ServingViews {
  /** The table suffix of the generation that answers queries for `view`. */
  suffix(view: string): string;
  /** Picks up generations another process switched to. */
  followSwitches(): void;
  /** Goes up whenever `view` changed: anything cached from it before is stale. */
  versionOf(view: string): number;
  /** The record time (epoch ms) every view has taken in all events of; null before any. */
  knownThrough(): number | null;
}

/**
 * The bytes of parsed documents kept between questions. Each is estimated at twice its JSON
 * (UTF-16) plus its key: 10,000 actors with a few affiliations each take a few MiB.
 */
export const DOCUMENT_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Plain synchronous look-ups on the generation of each view that currently answers (a
 * rebuild switches generations under it). Each view's own queries are written over it, in
 * the view's file.
 */
export class ViewReader {
  private readonly statements = new Map<string, Database.Statement>();
  /**
   * Parsed documents by view and key, with the view's version when read, least recently used
   * dropped first (a value is never null here: a missing row is `{ document: null }`).
   */
  private readonly cache = new LRUCache<string, { document: unknown; version: number }>({ maxSize: DOCUMENT_CACHE_BYTES });

  constructor(
    private readonly db: ViewsDatabase,
    private readonly views: ServingViews,
  ) {}

  /** The table suffix of the generation that answers for `view`. */
  suffix(view: string): string {
    return this.views.suffix(view);
  }

  /**
   * A table gone under a query means another process sharing the views file (a CLI rebuild)
   * switched generations and dropped the old one: follow it and ask once more.
   */
  guard<T>(ask: () => T): T {
    try {
      return ask();
    } catch (error) {
      if (!/no such table/.test(String(error))) throw error;
      this.views.followSwitches();
      return ask();
    }
  }

  /**
   * Statements are prepared once per SQL text; a switched generation has new table names,
   * hence new SQL.
   */
  prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * One row of a document view, parsed once per change of that view: actors and topics are
   * read by nearly every question and change rarely (a statement changes neither). Kept up to
   * DOCUMENT_CACHE_BYTES, least recently used dropped first, so a record of tens of thousands of
   * actors stays parsed. Callers never modify what they get.
   */
  document<T>(view: string, key: string): T | null {
    return this.guard(() => {
      const version = this.views.versionOf(view);
      const cacheKey = `${view}/${key}`;
      const cached = this.cache.get(cacheKey);
      if (cached?.version === version) return cached.document as T | null;
      const row = this.prepare(`SELECT row FROM ${documentTable(view, this.suffix(view))} WHERE key = ?`).pluck().get(key);
      const document = typeof row === 'string' ? (JSON.parse(row) as T) : null;
      this.cache.set(cacheKey, { document, version }, { size: 2 * (cacheKey.length + (typeof row === 'string' ? row.length : 0)) + 64 });
      return document;
    });
  }

  /** Up to `limit` rows of a document view with keys after `after`, by key, and the key of the last one read (null when none was). */
  documentsAfter<T>(view: string, after: string, limit: number): { documents: T[]; last: string | null } {
    return this.guard(() => {
      const table = documentTable(view, this.suffix(view));
      const rows = this.prepare(`SELECT key, row FROM ${table} WHERE key > ? ORDER BY key LIMIT ?`).all(after, limit) as { key: string; row: string }[];
      return { documents: rows.map(({ row }) => JSON.parse(row) as T), last: rows.length > 0 ? rows[rows.length - 1].key : null };
    });
  }

  /** The rows of a document view with keys in [from, to), by key; every row when no range is given. */
  documents<T>(view: string, range?: { from: string; to: string }): T[] {
    return this.guard(() => {
      const table = documentTable(view, this.suffix(view));
      const rows = range
        ? this.prepare(`SELECT row FROM ${table} WHERE key >= ? AND key < ? ORDER BY key`).pluck().all(range.from, range.to)
        : this.prepare(`SELECT row FROM ${table} ORDER BY key`).pluck().all();
      return (rows as string[]).map((row) => JSON.parse(row) as T);
    });
  }
}
