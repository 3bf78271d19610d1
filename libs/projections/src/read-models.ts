import type { ActorState, StatementFields, TopicState } from '@positions/domain';
import type Database from 'better-sqlite3';
import { documentTable } from './document-view';
import { type Membership, rosterKnownAt } from './members.projection';
import type { ProjectionRunner } from './projection-runner';
import type { ViewsDatabase } from './projection';
import { type ActorTopicStatements, stanceCountsKey } from './stance-counts.projection';
import { STATEMENTS_VIEW, statementVersionsTable } from './statements.projection';

export type ActorView = Extract<ActorState, { registered: true }>;
export type TopicView = Extract<TopicState, { open: true }>;

/** One version of a statement as the index holds it. */
export interface IndexedStatement {
  statementId: string;
  actorId: string;
  topicId: string;
  fields: StatementFields;
  /** Global position of its `PositionStated`: the tie-breaker between equal `statedOn`. */
  statedPosition: number;
  recordedAt: string;
  /** When this version became the record: `recordedAt`, or the correction's time. */
  knownFrom: string;
}

export interface IndexedPosition {
  statement: IndexedStatement;
  /** `statedOn` of the first statement of the unbroken run with the winner's stance. */
  since: string;
}

/** One actor's place in a topic's landscape. */
export interface LandscapeEntry {
  actorId: string;
  statementId: string;
  /** The stance code. */
  stance: string;
  since: string;
}

type LandscapeRow = { actorId: string; statementId: string; stance: string; statedOn: string };

export interface StatementAsKnown extends IndexedStatement {
  correctedAt: string | null;
  retractedAt: string | null;
}

/** Every record time: what `knownAt` omitted means. */
export const KNOWN_NOW = Number.MAX_SAFE_INTEGER;

const STATEMENT_COLUMNS = `statement_id AS statementId, actor_id AS actorId, topic_id AS topicId, stance,
  stated_position AS statedPosition, fields, recorded_at AS recordedAt, known_from AS knownFrom`;
const KNOWN_AT = 'known_from_ms <= @knownAt AND (known_to_ms IS NULL OR known_to_ms > @knownAt)';

type StatementRow = Omit<IndexedStatement, 'fields'> & { stance: string; fields: string };
type VersionRow = StatementRow & { knownFromMs: number; knownToMs: number | null; closedBy: string | null };

/**
 * The questions the read models answer, as plain synchronous look-ups on the generation of
 * each view that currently answers (a rebuild switches generations under it).
 */
export class ReadModels {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly cache = new Map<string, unknown>();
  private cachedAt = -1;

  constructor(
    private readonly db: ViewsDatabase,
    private readonly runner: ProjectionRunner,
  ) {}

  actor(id: string): ActorView | null {
    return this.guard(() => {
      return registered<ActorView>(this.document('actors', id));
    });
  }

  actors(): ActorView[] {
    return this.guard(() => {
      return this.documents<ActorView>('actors').filter((a) => a.registered);
    });
  }

  topic(id: string): TopicView | null {
    return this.guard(() => {
      return registered<TopicView>(this.document('topics', id));
    });
  }

  topics(): TopicView[] {
    return this.guard(() => {
      return this.documents<TopicView>('topics').filter((t) => t.open);
    });
  }

  /** Everyone affiliated with the organization at any time, as the record stood at `knownAtMs`. */
  members(organizationId: string, knownAtMs = KNOWN_NOW): Membership[] {
    return this.guard(() => {
      return rosterKnownAt(this.document<Membership[]>('members', organizationId) ?? [], knownAtMs);
    });
  }

  /** Each actor's statements on the topic that count today, for the daily stance counts. */
  stanceCountRows(topicId: string): ActorTopicStatements[] {
    return this.guard(() => {
      const table = documentTable('stance-counts', this.runner.suffix('stance-counts'));
      const prefix = stanceCountsKey(topicId, '');
      const rows = this.prepare(`SELECT row FROM ${table} WHERE key >= ? AND key < ? ORDER BY key`).pluck().all(prefix, `${topicId}0`);
      return (rows as string[]).map((row) => JSON.parse(row) as ActorTopicStatements);
    });
  }

  /**
   * The position (docs/domain.md, "Positions") from the index: the newest statement stated by `atMs` as the
   * record stood at `knownAtMs`, and how far back its stance runs unbroken. Reads only the
   * winner's run, newest first, never the whole history.
   */
  positionAt(actorId: string, topicId: string, atMs: number, knownAtMs = KNOWN_NOW): IndexedPosition | null {
    return this.guard(() => {
      const sql = `SELECT ${STATEMENT_COLUMNS} FROM ${this.versions()}
        WHERE actor_id = @actorId AND topic_id = @topicId AND stated_on_ms <= @at AND ${KNOWN_AT}
        ORDER BY stated_on_ms DESC, stated_position DESC`;
      const rows = this.prepare(sql).iterate({ actorId, topicId, at: atMs, knownAt: knownAtMs }) as Iterable<StatementRow>;
      let winner: IndexedPosition | null = null;
      for (const row of rows) {
        // Leaving the loop ends the statement's iteration: the rest of the history is never read.
        if (winner && row.stance !== winner.statement.fields.stance) break;
        const statement = toStatement(row);
        winner ??= { statement, since: statement.fields.statedOn };
        winner.since = statement.fields.statedOn;
      }
      return winner;
    });
  }

  /** Every actor's position on the topic at `atMs` as known at `knownAtMs`, by actor id: one index range scan. */
  landscape(topicId: string, atMs: number, knownAtMs = KNOWN_NOW): (IndexedPosition & { actorId: string })[] {
    return this.guard(() => {
      const sql = `SELECT ${STATEMENT_COLUMNS} FROM ${this.versions()}
        WHERE topic_id = @topicId AND stated_on_ms <= @at AND ${KNOWN_AT}
        ORDER BY actor_id, stated_on_ms DESC, stated_position DESC`;
      const rows = this.prepare(sql).iterate({ topicId, at: atMs, knownAt: knownAtMs }) as Iterable<StatementRow>;
      return firstRun(rows).map((p) => ({ ...p, actorId: p.statement.actorId }));
    });
  }

  /**
   * A topic's landscape as lean rows: each actor's winning statement id and stance and its
   * `since`, from indexed columns alone, with no statement's fields parsed (10,000 actors on a
   * topic answer in milliseconds).
   */
  landscapeEntries(topicId: string, atMs: number, knownAtMs = KNOWN_NOW): LandscapeEntry[] {
    return this.guard(() => {
      const sql = `SELECT actor_id AS actorId, statement_id AS statementId, stance, stated_on AS statedOn FROM ${this.versions()}
        WHERE topic_id = @topicId AND stated_on_ms <= @at AND ${KNOWN_AT}
        ORDER BY actor_id, stated_on_ms DESC, stated_position DESC`;
      const entries: LandscapeEntry[] = [];
      let current = null as LandscapeEntry | null;
      let runOpen = false;
      for (const row of this.prepare(sql).iterate({ topicId, at: atMs, knownAt: knownAtMs }) as Iterable<LandscapeRow>) {
        if (current?.actorId !== row.actorId) {
          current = { actorId: row.actorId, statementId: row.statementId, stance: row.stance, since: row.statedOn };
          entries.push(current);
          runOpen = true;
        } else if (runOpen && row.stance === current.stance) current.since = row.statedOn;
        else runOpen = false;
      }
      return entries;
    });
  }

  /** The actor's statements on the topic known at `knownAtMs`, retracted ones left out, in valid-time order. */
  timeline(actorId: string, topicId: string, knownAtMs = KNOWN_NOW): IndexedStatement[] {
    return this.guard(() => {
      const sql = `SELECT ${STATEMENT_COLUMNS} FROM ${this.versions()}
        WHERE actor_id = @actorId AND topic_id = @topicId AND ${KNOWN_AT} ORDER BY stated_on_ms, stated_position`;
      return (this.prepare(sql).all({ actorId, topicId, knownAt: knownAtMs }) as StatementRow[]).map(toStatement);
    });
  }

  /**
   * A statement as the record stood at `knownAtMs`: null when it was not recorded yet.
   * `correctedAt` is the time of the last correction applied, `retractedAt` of the retraction.
   */
  statement(statementId: string, knownAtMs = KNOWN_NOW): StatementAsKnown | null {
    return this.guard(() => {
      const known = this.versionsOf(statementId).filter((v) => v.knownFromMs <= knownAtMs);
      if (known.length === 0) return null;
      const { knownToMs, closedBy, ...row } = known[known.length - 1];
      const retracted = closedBy === 'retraction' && knownToMs !== null && knownToMs <= knownAtMs;
      return {
        ...toStatement(row),
        correctedAt: known.length > 1 ? row.knownFrom : null,
        retractedAt: retracted ? new Date(knownToMs).toISOString() : null,
      };
    });
  }

  /** Where a statement lives (its actor and topic), or null for an unknown id. */
  statementLocation(statementId: string): { actorId: string; topicId: string } | null {
    return this.guard(() => {
      const first = this.versionsOf(statementId)[0];
      return first ? { actorId: first.actorId, topicId: first.topicId } : null;
    });
  }

  /**
   * A table gone under a query means another process sharing the views file (a CLI rebuild)
   * switched generations and dropped the old one: follow it and ask once more.
   */
  private guard<T>(ask: () => T): T {
    try {
      return ask();
    } catch (error) {
      if (!/no such table/.test(String(error))) throw error;
      this.runner.followSwitches();
      return ask();
    }
  }

  private versionsOf(statementId: string): VersionRow[] {
    const sql = `SELECT ${STATEMENT_COLUMNS}, known_from_ms AS knownFromMs, known_to_ms AS knownToMs, closed_by AS closedBy
      FROM ${this.versions()} WHERE statement_id = ? ORDER BY known_from_ms, rowid`;
    return this.prepare(sql).all(statementId) as VersionRow[];
  }

  private versions(): string {
    return statementVersionsTable(this.runner.suffix(STATEMENTS_VIEW));
  }

  /**
   * One document, parsed once per change of the views: actors and topics are read by nearly
   * every question and change rarely. Callers never modify what they get.
   */
  private document<T>(view: string, key: string): T | null {
    if (this.cachedAt !== this.runner.changes) {
      this.cache.clear();
      this.cachedAt = this.runner.changes;
    }
    const cacheKey = `${view}/${key}`;
    if (this.cache.has(cacheKey)) return this.cache.get(cacheKey) as T | null;
    const row = this.prepare(`SELECT row FROM ${documentTable(view, this.runner.suffix(view))} WHERE key = ?`).pluck().get(key);
    const document = typeof row === 'string' ? (JSON.parse(row) as T) : null;
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(cacheKey, document);
    return document;
  }

  private documents<T>(view: string): T[] {
    const rows = this.prepare(`SELECT row FROM ${documentTable(view, this.runner.suffix(view))} ORDER BY key`).pluck().all();
    return (rows as string[]).map((row) => JSON.parse(row) as T);
  }

  /**
   * Statements are prepared once per SQL text; a switched generation has new table names,
   * hence new SQL.
   */
  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/**
 * Rows come grouped by actor, newest first: for each actor, the first row is the winner and
 * `since` is the oldest `statedOn` of the rows that follow with the same stance.
 */
function firstRun(rows: Iterable<StatementRow>): IndexedPosition[] {
  const positions: IndexedPosition[] = [];
  let current: IndexedPosition | null = null;
  let runOpen = false;
  for (const row of rows) {
    if (current?.statement.actorId !== row.actorId) {
      current = { statement: toStatement(row), since: JSON.parse(row.fields).statedOn as string };
      positions.push(current);
      runOpen = true;
    } else if (runOpen && row.stance === current.statement.fields.stance) {
      current.since = (JSON.parse(row.fields) as StatementFields).statedOn;
    } else {
      runOpen = false;
    }
  }
  return positions;
}

function toStatement({ stance: _stance, fields, ...rest }: StatementRow): IndexedStatement {
  return { ...rest, fields: JSON.parse(fields) as StatementFields };
}

function registered<T>(state: unknown): T | null {
  const s = state as { registered?: boolean; open?: boolean } | null;
  return s && s.registered !== false && s.open !== false ? (state as T) : null;
}
