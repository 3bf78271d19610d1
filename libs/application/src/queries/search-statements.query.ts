import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { endInstant, InvalidValue, startInstant } from '@positions/domain';
import { ReadModels, type SearchAfter, type SearchHit, type StatementSearch, toMatchQuery } from '@positions/projections';
import { createHash } from 'node:crypto';
import { CLOCK, type Clock } from '../tokens';
import { decodeSearchCursor, encodeSearchCursor } from './search-cursor';
import { requireActor, requireTopic, timeOf } from './answer-support';
import { statementAnswer, type StatementAnswer } from './statements.queries';

export interface StatementSearchOptions {
  q?: string;
  actorId?: string;
  topicId?: string;
  from?: string;
  to?: string;
  knownAt?: string;
  includeRetracted: boolean;
  limit: number;
  cursor?: string;
}

export interface StatementSearchPage {
  statements: StatementAnswer[];
  next: string | null;
}

/** A page holds about this many bytes of JSON (UTF-8) at most (docs/api.md, "Pages"). */
export const SEARCH_PAGE_BYTES = 1_000_000;

/** `GET /api/statements`: full-text and filtered search over statements, as known at `knownAt`, paged. */
export class SearchStatementsQuery extends Query<StatementSearchPage> {
  /** `signal`: aborted when the asker gives up (an HTTP client that went away); a search not yet run then never is. */
  constructor(
    readonly options: StatementSearchOptions,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}

@QueryHandler(SearchStatementsQuery)
export class SearchStatementsHandler implements IQueryHandler<SearchStatementsQuery> {
  constructor(
    private readonly views: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ options, signal }: SearchStatementsQuery): Promise<StatementSearchPage> {
    if (options.actorId !== undefined) requireActor(this.views, options.actorId);
    if (options.topicId !== undefined) requireTopic(this.views, options.topicId);
    const search = this.searchOf(options);
    const { hits, resume } = await this.views.searchStatementsAside({ ...search, limit: options.limit + 1 }, signal);
    const statements: StatementAnswer[] = [];
    let bytes = 0;
    let last: SearchHit | undefined;
    for (const hit of hits.slice(0, options.limit)) {
      const answer = statementAnswer(this.views, hit.statementId, search.knownAtMs);
      if (answer) {
        bytes += Buffer.byteLength(JSON.stringify(answer)) + 1; // and its comma
        // Over the byte bound: this page ends before the hit, which opens the next one.
        if (statements.length > 0 && bytes > SEARCH_PAGE_BYTES) return { statements, next: this.cursorAt(search, afterHit(last)) };
        statements.push(answer);
      }
      last = hit;
    }
    if (hits.length > options.limit) return { statements, next: this.cursorAt(search, afterHit(last)) };
    return { statements, next: resume ? this.cursorAt(search, resume) : null };
  }

  /** The search a request asks for: a first page pins the record it reads; a cursor brings that back. */
  private searchOf(options: StatementSearchOptions): Omit<StatementSearch, 'limit'> & { fingerprint: string } {
    const fingerprint = fingerprintOf(options);
    const base = {
      ...(options.q !== undefined && { match: toMatchQuery(options.q) }),
      ...(options.actorId !== undefined && { actorId: options.actorId }),
      ...(options.topicId !== undefined && { topicId: options.topicId }),
      ...dayRange(options.from, options.to),
      includeRetracted: options.includeRetracted,
      fingerprint,
    };
    if (options.cursor === undefined) {
      const { knownAtMs } = timeOf(this.clock().toISOString(), undefined, options.knownAt, this.views.knownThrough());
      return { ...base, knownAtMs, seq: this.views.searchPosition() };
    }
    const cursor = decodeSearchCursor(options.cursor);
    if (cursor.f !== fingerprint) throw new InvalidValue('cursor belongs to another search: pass the same q and filters as the first page', 'cursor');
    return { ...base, knownAtMs: cursor.k, seq: cursor.s, after: cursor.a };
  }

  private cursorAt(search: { knownAtMs: number; seq: number; fingerprint: string }, after: SearchAfter): string {
    return encodeSearchCursor({ k: search.knownAtMs, s: search.seq, f: search.fingerprint, a: after });
  }
}

/** Where a page that ends with `hit` leaves off: its window and its key. */
function afterHit(hit: SearchHit | undefined): SearchAfter {
  if (!hit) throw new Error('a page ends after a hit it examined');
  const { window, ...key } = hit;
  return { ...(window !== undefined && { window }), key };
}

/** `from`/`to` as the instants a statement's range of days must meet. */
function dayRange(from?: string, to?: string): { fromMs?: number; toMs?: number } {
  const range = {
    ...(from !== undefined && { fromMs: startInstant(from, 'from') }),
    ...(to !== undefined && { toMs: endInstant(to, 'to') }),
  };
  if (range.fromMs !== undefined && range.toMs !== undefined && range.fromMs > range.toMs) throw new InvalidValue('from must not be after to', 'from');
  return range;
}

/** The search a cursor belongs to, without knownAt: the cursor pins that itself. */
function fingerprintOf({ q, actorId, topicId, from, to, includeRetracted }: StatementSearchOptions): string {
  return createHash('sha256')
    .update(JSON.stringify([q, actorId, topicId, from, to, includeRetracted]))
    .digest('base64url')
    .slice(0, 16);
}
