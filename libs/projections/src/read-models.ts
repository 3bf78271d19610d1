import type { ActorState, StatementFields, TopicState } from '@positions/domain';
import type Database from 'better-sqlite3';
import type { ViewsDatabase } from './projection';
import { STATEMENT_VERSIONS_TABLE } from './statements.projection';

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

/** Every record time: what `knownAt` omitted means. */
export const KNOWN_NOW = Number.MAX_SAFE_INTEGER;

/** The questions the read models answer, as plain synchronous look-ups. */
export class ReadModels {
  private readonly actorById: Database.Statement;
  private readonly allActors: Database.Statement;
  private readonly topicById: Database.Statement;
  private readonly allTopics: Database.Statement;
  private readonly statementsUpTo: Database.Statement;
  private readonly statementsKnownAt: Database.Statement;
  private readonly versionsOf: Database.Statement;

  constructor(db: ViewsDatabase) {
    this.actorById = db.prepare('SELECT state FROM actors_v1 WHERE id = ?').pluck();
    this.allActors = db.prepare('SELECT state FROM actors_v1 ORDER BY id').pluck();
    this.topicById = db.prepare('SELECT state FROM topics_v1 WHERE id = ?').pluck();
    this.allTopics = db.prepare('SELECT state FROM topics_v1 ORDER BY id').pluck();
    this.statementsUpTo = db.prepare(`SELECT ${STATEMENT_COLUMNS}
      FROM ${STATEMENT_VERSIONS_TABLE}
      WHERE actor_id = ? AND topic_id = ? AND stated_on_ms <= ?
        AND known_from_ms <= ? AND (known_to_ms IS NULL OR known_to_ms > ?)
      ORDER BY stated_on_ms DESC, stated_position DESC`);
    this.statementsKnownAt = db.prepare(`SELECT ${STATEMENT_COLUMNS}
      FROM ${STATEMENT_VERSIONS_TABLE}
      WHERE actor_id = ? AND topic_id = ? AND known_from_ms <= ? AND (known_to_ms IS NULL OR known_to_ms > ?)
      ORDER BY stated_on_ms, stated_position`);
    this.versionsOf = db.prepare(`SELECT ${STATEMENT_COLUMNS}, known_from_ms AS knownFromMs, known_to_ms AS knownToMs, closed_by AS closedBy
      FROM ${STATEMENT_VERSIONS_TABLE} WHERE statement_id = ? ORDER BY known_from_ms, rowid`);
  }

  actor(id: string): ActorView | null {
    return parseState<ActorView>(this.actorById.get(id));
  }

  actors(): ActorView[] {
    return this.allActors.all().map((s) => parseState<ActorView>(s) as ActorView);
  }

  topic(id: string): TopicView | null {
    return parseState<TopicView>(this.topicById.get(id));
  }

  topics(): TopicView[] {
    return this.allTopics.all().map((s) => parseState<TopicView>(s) as TopicView);
  }

  /**
   * The position of DOMAIN.md from the index: the newest statement stated by `atMs` as the
   * record stood at `knownAtMs`, and how far back its stance runs unbroken. Reads only the
   * winner's run, newest first, never the whole history.
   */
  positionAt(actorId: string, topicId: string, atMs: number, knownAtMs = KNOWN_NOW): IndexedPosition | null {
    let winner: IndexedStatement | null = null;
    let since = '';
    for (const row of this.statementsUpTo.iterate(actorId, topicId, atMs, knownAtMs, knownAtMs) as Iterable<StatementRow>) {
      if (winner && row.stance !== winner.fields.stance) break;
      const statement = toStatement(row);
      winner ??= statement;
      since = statement.fields.statedOn;
    }
    return winner ? { statement: winner, since } : null;
  }

  /** The actor's statements on the topic known at `knownAtMs`, retracted ones left out, in valid-time order. */
  timeline(actorId: string, topicId: string, knownAtMs = KNOWN_NOW): IndexedStatement[] {
    return (this.statementsKnownAt.all(actorId, topicId, knownAtMs, knownAtMs) as StatementRow[]).map(toStatement);
  }

  /**
   * A statement as the record stood at `knownAtMs`: null when it was not recorded yet.
   * `correctedAt` is the time of the last correction applied, `retractedAt` of the retraction.
   */
  statement(statementId: string, knownAtMs = KNOWN_NOW): StatementAsKnown | null {
    const known = (this.versionsOf.all(statementId) as VersionRow[]).filter((v) => v.knownFromMs <= knownAtMs);
    if (known.length === 0) return null;
    const { knownFromMs, knownToMs, closedBy, ...row } = known[known.length - 1];
    void knownFromMs;
    const retracted = closedBy === 'retraction' && knownToMs !== null && knownToMs <= knownAtMs;
    return {
      ...toStatement(row),
      correctedAt: known.length > 1 ? row.knownFrom : null,
      retractedAt: retracted ? new Date(knownToMs).toISOString() : null,
    };
  }

  /** Where a statement lives (its actor and topic), or null for an unknown id. */
  statementLocation(statementId: string): { actorId: string; topicId: string } | null {
    const first = (this.versionsOf.all(statementId) as VersionRow[])[0];
    return first ? { actorId: first.actorId, topicId: first.topicId } : null;
  }
}

export interface StatementAsKnown extends IndexedStatement {
  correctedAt: string | null;
  retractedAt: string | null;
}

const STATEMENT_COLUMNS = `statement_id AS statementId, actor_id AS actorId, topic_id AS topicId, stance,
  stated_position AS statedPosition, fields, recorded_at AS recordedAt, known_from AS knownFrom`;

type StatementRow = Omit<IndexedStatement, 'fields'> & { stance: string; fields: string };
type VersionRow = StatementRow & { knownFromMs: number; knownToMs: number | null; closedBy: string | null };

function toStatement({ stance, fields, ...rest }: StatementRow): IndexedStatement {
  void stance;
  return { ...rest, fields: JSON.parse(fields) as StatementFields };
}

function parseState<T>(stored: unknown): T | null {
  if (typeof stored !== 'string') return null;
  const state = JSON.parse(stored) as { registered?: boolean; open?: boolean };
  return state.registered === false || state.open === false ? null : (state as T);
}
